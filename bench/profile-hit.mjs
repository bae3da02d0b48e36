#!/usr/bin/env node
// `npm run bench:profile`: where a cache hit's CPU goes, beside `GET /healthz`'s. Starts the Worker
// (`wrangler dev --local`), primes one cached sentiment answer, then records V8 CPU profiles of the
// Worker through its inspector while PROFILE_REQUESTS requests per route arrive over
// PROFILE_CONNECTIONS connections (the throughput part of `npm run bench`), in PROFILE_ROUNDS
// slices alternating between the routes; prints self time per module and per function, sorted by
// what the hit spends beyond /healthz. It uses `ws`, not Node's WebSocket: wrangler's inspector proxy refuses a
// connection that carries an Origin header, and Node's WebSocket always sends one.
import WebSocket from 'ws';
import { ADMIN, keepAliveClient, startLocalServer } from '../scripts/lib/local-server.mjs';

const REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 8000);
const CONNECTIONS = Number(process.env.PROFILE_CONNECTIONS ?? 32);
const ROUNDS = Number(process.env.PROFILE_ROUNDS ?? 4);
const TOP = Number(process.env.PROFILE_TOP ?? 40);

/** One DevTools-protocol session over the inspector's WebSocket. */
async function inspector(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json`)).json();
  const target = targets.find((t) => t.webSocketDebuggerUrl && !/bare/.test(t.title ?? '')) ?? targets[0];
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  let nextId = 1;
  const pending = new Map();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.id && pending.has(message.id)) {
      pending.get(message.id)(message);
      pending.delete(message.id);
    }
  });
  const send = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (message) => (message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolve(message.result)));
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => socket.close() };
}

/**
 * The bundle's module a line belongs to: esbuild marks each module's start with a `// path`
 * comment, so the nearest one above the line names the source file (src/…, node_modules/…).
 */
function moduleNamer(source) {
  const lines = source.split('\n');
  const starts = [];
  lines.forEach((line, index) => {
    const match = /^\/\/ ((?:src|node_modules|\.\.\/)[^\s]*\.[cm]?[jt]s)$/.exec(line);
    if (match) starts.push([index, match[1].replace(/^.*node_modules\//, '')]);
  });
  return (lineNumber) => {
    let name = '';
    for (const [start, path] of starts) {
      if (start > lineNumber) break;
      name = path;
    }
    return name;
  };
}

/** Sums self time per key, where `keyOf` names a sample's function (or its module). */
function add(into, profile, namers, keyOf) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map(profile.nodes.flatMap((node) => (node.children ?? []).map((child) => [child, node])));
  const nameOf = (node) => {
    const { functionName, scriptId, lineNumber } = node.callFrame;
    return [functionName || '(anonymous)', namers.get(scriptId)?.(lineNumber) ?? ''];
  };
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const [fn, where] = nameOf(node);
    // A runtime function (a Headers method, a Response constructor) is named with its JS caller.
    const caller = !where && parentOf.get(node.id) ? nameOf(parentOf.get(node.id)) : undefined;
    const key = keyOf(caller?.[1] ? `${fn} ← ${caller[0]}` : fn, where, caller?.[1]);
    into.set(key, (into.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
}
const moduleKey = (fn, where) => (where.startsWith('src/') ? where : where ? where.split('/')[0] : `runtime: ${fn.split(' ← ')[0]}`);
const functionKey = (fn, where, callerWhere) => (where ? `${fn} — ${where}` : `runtime: ${fn}${callerWhere ? ` — ${callerWhere}` : ''}`);
const NOT_WORK = /^runtime: \((idle|program|garbage collector)\)$/;

const server = await startLocalServer({ stateDir: '.wrangler/profile-state' });
try {
  const tenant = await server.json('POST', '/admin/tenants', ADMIN, { name: 'profile', limits: { rpm: 1_000_000, burst: 1_000_000, daily_budget_usd: 1000 } }, 201);
  // Pinned to the local tier: under the default cascade with no Workers AI here, this text's local
  // answer (0.68, below the threshold) is not cached, so every call would be a miss.
  await server.json('PUT', `/admin/tenants/${tenant.id}/tasks/sentiment`, ADMIN, { providers: ['local'] });
  const { key } = await server.json('POST', `/admin/tenants/${tenant.id}/keys`, ADMIN, { kind: 'secret' }, 201);
  const body = { text: 'I love this product' };
  const headers = { Authorization: `Bearer ${key}` };
  const origin = { host: '127.0.0.1', port: server.port };
  const client = keepAliveClient(CONNECTIONS);
  const routes = {
    healthz: () => client.request(origin, 'GET', '/healthz'),
    hit: () => client.request(origin, 'POST', '/v1/sentiment', headers, body),
  };
  await server.request('POST', '/v1/sentiment', headers, body);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const burst = async (send, n) => {
    let sent = 0;
    await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
      while (sent++ < n) {
        const res = await send();
        if (res.status !== 200) throw new Error(`${res.status}: ${res.text}`);
        if (send === routes.hit && res.headers['x-cache'] !== 'HIT') throw new Error(`expected a cache hit, got x-cache: ${res.headers['x-cache']}: ${res.text}`);
      }
    }));
  };
  for (const send of Object.values(routes)) await burst(send, 1000); // warm-up: JIT, the key and cache in isolate memory
  const devtools = await inspector(server.inspectorPort);
  await devtools.send('Debugger.enable');
  await devtools.send('Profiler.enable');
  await devtools.send('Profiler.setSamplingInterval', { interval: 100 });
  const namers = new Map();
  const byModule = { healthz: new Map(), hit: new Map() };
  const byFunction = { healthz: new Map(), hit: new Map() };
  const wall = { healthz: 0, hit: 0 };
  // Slices alternate between the two routes, so the machine's noise falls on both alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, send] of Object.entries(routes)) {
      await devtools.send('Profiler.start');
      const started = performance.now();
      await burst(send, REQUESTS / ROUNDS);
      wall[name] += performance.now() - started;
      const { profile } = await devtools.send('Profiler.stop');
      for (const scriptId of new Set(profile.nodes.map((node) => node.callFrame.scriptId))) {
        if (scriptId === '0' || namers.has(scriptId)) continue;
        const { scriptSource } = await devtools.send('Debugger.getScriptSource', { scriptId }).catch(() => ({ scriptSource: '' }));
        namers.set(scriptId, moduleNamer(scriptSource));
      }
      add(byModule[name], profile, namers, moduleKey);
      add(byFunction[name], profile, namers, functionKey);
    }
  }
  devtools.close();
  client.close();

  const perRequest = (us) => (us / REQUESTS).toFixed(1);
  const work = (map) => [...map.entries()].filter(([key]) => !NOT_WORK.test(key)).reduce((sum, [, us]) => sum + us, 0);
  console.log(`${REQUESTS} requests per route over ${CONNECTIONS} connections, ${ROUNDS} alternating slices each.`);
  for (const name of Object.keys(routes)) {
    console.log(`${name}: ${(REQUESTS / (wall[name] / 1000)).toFixed(0)} req/s; Worker JS CPU ${perRequest(work(byModule[name]))} µs per request (idle, GC and unattributed runtime time excluded)`);
  }
  for (const [title, maps] of [['module', byModule], ['function', byFunction]]) {
    const keys = new Set([...maps.healthz.keys(), ...maps.hit.keys()]);
    const rows = [...keys].map((key) => [key, maps.healthz.get(key) ?? 0, maps.hit.get(key) ?? 0]).sort((a, b) => b[2] - b[1] - (a[2] - a[1]));
    console.log(`\n| hit − /healthz (µs/request) | /healthz | hit | ${title} |`);
    console.log('|---:|---:|---:|---|');
    for (const [key, healthz, hit] of rows.slice(0, TOP)) console.log(`| ${perRequest(hit - healthz)} | ${perRequest(healthz)} | ${perRequest(hit)} | ${key} |`);
  }
} finally {
  await server.stop();
}
