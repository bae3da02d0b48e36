#!/usr/bin/env node
// `npm run bench`: what the hot path costs. A cache-hit `POST /v1/sentiment` (key lookup,
// admission, cache read, metering), a cache miss answered by the local tier, `GET /healthz` (the
// shared middleware and routing) and a bare Worker that only returns JSON (bench/bare: no routing,
// no middleware, no bindings), alone and with a static-assets directory as minnow has (locally
// wrangler's asset router then fronts every request) — all measured in the same run, so the
// figures are ratios against baselines that saw the same machine.
//
// Part 1, latency: sequential requests on ONE keep-alive connection per route, in blocks whose
// order rotates every round, so drift or a noisy neighbour hits every route alike. Latency is
// client-observed: request write → last body byte, via process.hrtime.bigint().
// Part 2, throughput: BENCH_CONNECTIONS keep-alive connections sending as fast as they are
// answered, one route at a time, in BENCH_SLICES slices per route whose order rotates (as part 1's
// rounds do), so no route always runs last — after the others' garbage and background work:
// requests per second over all its slices, p50 and p99 — and, on Linux, the CPU each request cost
// each process (the Worker's workerd, wrangler's proxy workerd and Node process, this client;
// bench/process-cpu.mjs), including what it spends in the idle second after each slice (work the
// requests deferred past their answers): the run is CPU-bound, so /healthz's total over the hit's is the throughput
// ratio, less moved by other work on a shared machine.
//
// Knobs (env):  BENCH_REQUESTS     requests per route per round     (default 1000)
//               BENCH_ROUNDS       rounds                            (default 6)
//               BENCH_WARMUP       warm-up requests per route        (default 300)
//               BENCH_CONNECTIONS  connections in part 2             (default 32)
//               BENCH_CONCURRENT   requests per route in part 2      (default 6000)
//               BENCH_SLICES       slices per route in part 2        (default 4)
//               BENCH_SETTLE_MS    idle wait after each part-2 slice, its CPU counted (default 1000)
//
// Every measured sentiment response must be 200 with the expected `x-cache`, or the run aborts.
// Numbers include the local workerd/miniflare proxy hop, so absolute latencies are higher than at
// the edge; the ratios are what matter. Targets (issue #13): cache-hit p50 ≤ 1.25× /healthz and
// ≤ +0.5 ms over it; cache-hit throughput with 32 connections ≥ 0.8× /healthz's.
import os from 'node:os';
import { ADMIN, keepAliveClient, startLocalServer } from '../scripts/lib/local-server.mjs';
import { cpuPerRequest, processCpuAvailable, processCpuSeconds } from './process-cpu.mjs';

const REQUESTS = positiveInt('BENCH_REQUESTS', 1000);
const ROUNDS = positiveInt('BENCH_ROUNDS', 6);
const WARMUP = positiveInt('BENCH_WARMUP', 300);
const CONNECTIONS = positiveInt('BENCH_CONNECTIONS', 32);
const CONCURRENT = positiveInt('BENCH_CONCURRENT', 6000);
const SLICES = positiveInt('BENCH_SLICES', 4);
const SETTLE_MS = positiveInt('BENCH_SETTLE_MS', 1000);
const STATE = '.wrangler/bench-state';
const BARE_STATE = '.wrangler/bench-bare-state';
const BARE_ASSETS_STATE = '.wrangler/bench-bare-assets-state';

function positiveInt(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer (got ${process.env[name]})`);
  return value;
}

let server;
let bareServer;
let bareAssetsServer;
const stopAll = () => Promise.all([server?.stop(), bareServer?.stop(), bareAssetsServer?.stop()]);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll().finally(() => process.exit(130)));

// --- measurement --------------------------------------------------------------------------------
/** Runs `n` sequential requests; returns per-request latencies (ms) and the block's wall time. */
async function block(n, send, check) {
  const samples = new Array(n);
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const res = await send();
    samples[i] = Number(process.hrtime.bigint() - t0) / 1e6;
    check(res);
  }
  return { samples, wallMs: Number(process.hrtime.bigint() - started) / 1e6 };
}

/**
 * `total` requests over `connections` keep-alive connections, each connection one request at a
 * time; also the CPU the server's processes (group `groupId`) and this client spent meanwhile.
 */
async function concurrent(origin, groupId, connections, total, send, check) {
  const client = keepAliveClient(connections);
  const cpuBefore = processCpuSeconds(groupId);
  const samples = [];
  let sent = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (sent < total) {
        sent++;
        const t0 = process.hrtime.bigint();
        const res = await send(client, origin);
        samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
        check(res);
      }
    }),
  );
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  // What the slice's requests left to do after their answers (usage events on their way to D1 locally,
  // lease hand-backs, garbage) is theirs too: counted here, not in whichever slice runs next.
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const cpu = { before: cpuBefore, after: processCpuSeconds(groupId) };
  client.close();
  return { samples, wallMs, cpu };
}

function summarize(results) {
  const sorted = results.flatMap((r) => r.samples).sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]; // nearest rank
  const wallMs = results.reduce((sum, r) => sum + r.wallMs, 0);
  const figures = { n: sorted.length, p50: pct(50), p99: pct(99), rps: sorted.length / (wallMs / 1000) };
  if (!results[0].cpu) return figures;
  // Per request over all slices: each slice's CPU, summed, over all its requests.
  const spent = results.reduce(
    (sum, r) => Object.fromEntries(Object.keys(sum).map((role) => [role, sum[role] + (r.cpu.after[role] - r.cpu.before[role])])),
    { worker: 0, proxy: 0, wrangler: 0, client: 0 },
  );
  const zero = { worker: 0, proxy: 0, wrangler: 0, client: 0 };
  return { ...figures, cpu: cpuPerRequest(zero, spent, sorted.length) };
}

const okStatus = (name) => (res) => {
  if (res.status !== 200) throw new Error(`${name}: ${res.status}: ${res.text}`);
};
const cacheStatus = (expected) => (res) => {
  if (res.status !== 200 || res.headers['x-cache'] !== expected) throw new Error(`POST /v1/sentiment: expected 200 + x-cache: ${expected}, got ${res.status} + x-cache: ${res.headers['x-cache']}: ${res.text}`);
};

async function main() {
  console.log(`bench: starting wrangler dev for minnow (fresh state in ${STATE}) and the bare Workers…`);
  [server, bareServer, bareAssetsServer] = await Promise.all([
    startLocalServer({ stateDir: STATE }),
    startLocalServer({ stateDir: BARE_STATE, config: 'bench/bare/wrangler.toml', readyPath: '/' }),
    startLocalServer({ stateDir: BARE_ASSETS_STATE, config: 'bench/bare/wrangler-assets.toml', readyPath: '/' }),
  ]);
  const { request, json } = server;
  const limits = { rpm: 1_000_000, burst: 1_000_000, daily_budget_usd: 1000 };
  const tenant = await json('POST', '/admin/tenants', ADMIN, { name: 'bench', limits }, 201);
  // Pinned to the local tier, as the miss tenant is: with the default cascade and no Workers AI
  // here, a local answer below the threshold (this text scores 0.68) is not cached, so it would
  // never be a hit (cascade_unavailable). Either way the hit is served from the isolate's memory.
  await json('PUT', `/admin/tenants/${tenant.id}/tasks/sentiment`, ADMIN, { providers: ['local'] });
  const { key } = await json('POST', `/admin/tenants/${tenant.id}/keys`, ADMIN, { kind: 'secret' }, 201);
  // A second tenant whose sentiment runs on the local tier only: every request a new text, a miss.
  const local = await json('POST', '/admin/tenants', ADMIN, { name: 'bench-local', limits }, 201);
  await json('PUT', `/admin/tenants/${local.id}/tasks/sentiment`, ADMIN, { providers: ['local'] });
  const { key: localKey } = await json('POST', `/admin/tenants/${local.id}/keys`, ADMIN, { kind: 'secret' }, 201);

  const hitBody = { text: 'I love this product' };
  let misses = 0;
  const missBody = () => ({ text: `The delivery was quick and the fit is great, order ${++misses}` });
  const routes = {
    bare: { label: 'bare Worker (JSON only)', send: () => bareServer.request('GET', '/'), check: okStatus('bare') },
    // The same Worker with a static-assets directory, as minnow has: locally, wrangler's asset router fronts it.
    bareAssets: { label: 'bare Worker with static assets, as minnow', send: () => bareAssetsServer.request('GET', '/'), check: okStatus('bare with assets') },
    // The same body as the sentiment calls, to the bare Worker: what carrying a JSON body costs the local proxy.
    barePost: { label: 'bare Worker, POST with the same body', send: () => bareServer.request('POST', '/', {}, hitBody), check: okStatus('bare POST') },
    healthz: { label: '`GET /healthz`', send: () => request('GET', '/healthz'), check: okStatus('healthz') },
    hit: { label: '`POST /v1/sentiment`, cache hit', send: () => request('POST', '/v1/sentiment', { Authorization: `Bearer ${key}` }, hitBody), check: cacheStatus('HIT') },
    miss: { label: '`POST /v1/sentiment`, miss (local tier)', send: () => request('POST', '/v1/sentiment', { Authorization: `Bearer ${localKey}` }, missBody()), check: cacheStatus('MISS') },
  };

  const first = await routes.hit.send(); // fills the cache (the write lands via waitUntil, right after)
  if (first.status !== 200 || first.headers['x-cache'] !== 'MISS') throw new Error(`priming call: expected 200 MISS, got ${first.status} ${first.headers['x-cache']}: ${first.text}`);
  await new Promise((resolve) => setTimeout(resolve, 200));

  console.log(`bench: part 1 — warm-up ${WARMUP} + ${ROUNDS} rounds × ${REQUESTS} requests per route, 1 keep-alive connection each…`);
  const names = Object.keys(routes);
  for (const name of names) await block(WARMUP, routes[name].send, routes[name].check);
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    // The order rotates, so no route always goes first (e.g. right after a GC or a log flush).
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) runs[name].push(await block(REQUESTS, routes[name].send, routes[name].check));
  }
  const latency = Object.fromEntries(names.map((name) => [name, summarize(runs[name])]));

  console.log(`bench: part 2 — ${CONCURRENT} requests per route over ${CONNECTIONS} keep-alive connections…`);
  const minnow = { host: '127.0.0.1', port: server.port };
  const hitHeaders = { Authorization: `Bearer ${key}` };
  const parallel = {
    bare: () => concurrent({ host: '127.0.0.1', port: bareServer.port }, bareServer.pid, CONNECTIONS, Math.ceil(CONCURRENT / SLICES), (client, origin) => client.request(origin, 'GET', '/'), okStatus('bare')),
    bareAssets: () => concurrent({ host: '127.0.0.1', port: bareAssetsServer.port }, bareAssetsServer.pid, CONNECTIONS, Math.ceil(CONCURRENT / SLICES), (client, origin) => client.request(origin, 'GET', '/'), okStatus('bare with assets')),
    // What carrying the hit's JSON body costs the local proxy and runtime, with no work behind it.
    barePost: () => concurrent({ host: '127.0.0.1', port: bareServer.port }, bareServer.pid, CONNECTIONS, Math.ceil(CONCURRENT / SLICES), (client, origin) => client.request(origin, 'POST', '/', {}, hitBody), okStatus('bare POST')),
    healthz: () => concurrent(minnow, server.pid, CONNECTIONS, Math.ceil(CONCURRENT / SLICES), (client, origin) => client.request(origin, 'GET', '/healthz'), okStatus('healthz')),
    hit: () => concurrent(minnow, server.pid, CONNECTIONS, Math.ceil(CONCURRENT / SLICES), (client, origin) => client.request(origin, 'POST', '/v1/sentiment', hitHeaders, hitBody), cacheStatus('HIT')),
  };
  const parallelNames = Object.keys(parallel);
  const slices = Object.fromEntries(parallelNames.map((name) => [name, []]));
  for (let slice = 0; slice < SLICES; slice++) {
    const order = parallelNames.map((_, i) => parallelNames[(i + slice) % parallelNames.length]);
    for (const name of order) slices[name].push(await parallel[name]());
  }
  const throughput = Object.fromEntries(parallelNames.map((name) => [name, summarize(slices[name])]));
  report(routes, latency, throughput);
}

function report(routes, latency, throughput) {
  const ms = (x) => x.toFixed(2);
  const diff = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
  const base = latency.healthz;
  console.log('\nPart 1: one keep-alive connection per route');
  console.log('\n| Route | p50 (ms) | p99 (ms) | req/s | p50 − /healthz | p50 ÷ /healthz |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [name, figures] of Object.entries(latency)) {
    console.log(`| ${routes[name].label} | ${ms(figures.p50)} | ${ms(figures.p99)} | ${figures.rps.toFixed(0)} | ${diff(figures.p50 - base.p50)} | ${(figures.p50 / base.p50).toFixed(2)}× |`);
  }
  console.log(`\nPart 2: ${CONNECTIONS} keep-alive connections, ${CONCURRENT} requests per route in ${SLICES} slices of rotating order`);
  console.log('\n| Route | req/s | ÷ /healthz | p50 (ms) | p99 (ms) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, figures] of Object.entries(throughput)) {
    console.log(`| ${routes[name].label} | ${figures.rps.toFixed(0)} | ${(figures.rps / throughput.healthz.rps).toFixed(2)}× | ${ms(figures.p50)} | ${ms(figures.p99)} |`);
  }
  if (processCpuAvailable) {
    // What each request cost the machine, by process (bench/process-cpu.mjs): the run is CPU-bound,
    // so /healthz's total over a route's is the throughput ratio other work on the machine cannot move.
    console.log('\nCPU per request in part 2 (µs; Worker = its workerd, with its Durable Objects, queue consumer and D1 locally):');
    console.log('\n| Route | Worker | wrangler proxy | wrangler (Node) | client | total | /healthz total ÷ total |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    const us = (x) => x.toFixed(0);
    for (const [name, { cpu }] of Object.entries(throughput)) {
      console.log(`| ${routes[name].label} | ${us(cpu.worker)} | ${us(cpu.proxy)} | ${us(cpu.wrangler)} | ${us(cpu.client)} | ${us(cpu.total)} | ${(throughput.healthz.cpu.total / cpu.total).toFixed(2)}× |`);
    }
  }
  console.log(`\n_${new Date().toISOString()}, ${ROUNDS} rounds × ${REQUESTS} requests, \`wrangler dev --local\`, Node ${process.version}, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at the end._\n`);
  const hit = latency.hit;
  const ratio = hit.p50 / base.p50;
  const added = hit.p50 - base.p50;
  const scale = throughput.hit.rps / throughput.healthz.rps;
  const cpuScale = throughput.hit.cpu ? `, ${(throughput.healthz.cpu.total / throughput.hit.cpu.total).toFixed(2)}× by CPU per request (Worker +${(throughput.hit.cpu.worker - throughput.healthz.cpu.worker).toFixed(0)} µs)` : '';
  console.log(`cache hit: p50 ${diff(added)} ms over /healthz (${ratio.toFixed(2)}×), p99 ${diff(hit.p99 - base.p99)} ms; with ${CONNECTIONS} connections ${scale.toFixed(2)}× /healthz's throughput${cpuScale}`);
  console.log(`targets: p50 ≤ 1.25× and ≤ +0.5 ms over /healthz: ${ratio <= 1.25 && added <= 0.5 ? 'met' : 'NOT met'}; throughput ≥ 0.8× /healthz: ${scale >= 0.8 ? 'met' : 'NOT met'}`);
}

main()
  .catch((error) => {
    console.error(`bench: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
