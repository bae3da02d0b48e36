#!/usr/bin/env node
// `npm run test:soak`: the real Worker under a steady mixed load with injected faults, for minutes.
// Not part of `npm test` or CI.
//
// What it does: starts the Hugging Face stand-in (test/fakes/hf-stub-server.ts, bundled with
// esbuild, in this process) and the real Worker (`wrangler dev --local`, fresh state in
// .wrangler/soak-state) with HF as a paid provider, then:
//   1. sets up three tenants (secret keys) and one publishable key, a knowledge base with a few
//      documents and a bot on it;
//   2. drives requests at a steady rate (open loop: one is started every 1/RATE s whatever the
//      previous ones are doing) for SOAK_MINUTES: sentiment (HF), embed (HF), classify (local →
//      HF cascade), language (local), KB search, chat (non-stream and stream, local tier quoting);
//      SOAK_FAULTS of the HF-bound requests carry a stand-in fault directive — `[[hf:503]]`
//      (model loading, 503 with estimated_time), `[[hf:500]]`, `[[hf:hang]]` (no answer: the
//      provider timeout, PROVIDER_TIMEOUT_MS = 2000 here, must end it) — so the fallback
//      and timeout paths run all along;
//   3. runs the rate-limit/budget exactness scenario (test/load/scenario.mjs) at SOAK_SCALE on the
//      warm server, and checks that every request the soak made is in the usage API.
// It prints requests served, status and error code counts, p50/p99 latency per kind, the workerd
// processes' RSS at start and end, and exits 1 on a 5xx that is not an upstream 502/503/504, a
// request that hangs past SOAK_REQUEST_TIMEOUT_MS, an exactness failure, or lost usage records.
//
// Knobs (env): SOAK_MINUTES (3), SOAK_RATE requests/s (20), SOAK_FAULTS share of HF-bound requests
// with a fault (0.1), SOAK_SCALE exactness scale (3, ≈ 5,000 requests), SOAK_REQUEST_TIMEOUT_MS (15000).
import { execFileSync } from 'node:child_process';
import { ADMIN, createTenant, keepAliveClient, startLocalServer } from '../scripts/lib/local-server.mjs';
import { startHfStandIn } from '../scripts/lib/hf-stand-in.mjs';
import { exactnessTable, planExactness, runExactness, setUpExactness } from '../test/load/scenario.mjs';

const MINUTES = number('SOAK_MINUTES', 3);
const RATE = number('SOAK_RATE', 20);
const FAULTS = number('SOAK_FAULTS', 0.1, true);
const SCALE = number('SOAK_SCALE', 3);
const REQUEST_TIMEOUT_MS = number('SOAK_REQUEST_TIMEOUT_MS', 15_000);
const STATE = '.wrangler/soak-state';

function number(name, fallback, allowZero = false) {
  const value = Number(process.env[name] ?? fallback);
  if (!(value > 0 || (allowZero && value === 0))) throw new Error(`${name} must be a positive number (got ${process.env[name]})`);
  return value;
}

let server;
let stub;
let client;
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => shutdown().finally(() => process.exit(130)));
async function shutdown() {
  client?.close();
  await server?.stop();
  await stub?.close();
}

/** Resident memory (MiB) of the workerd processes in the server's process group. */
function workerdRssMiB(pid) {
  const out = execFileSync('ps', ['-eo', 'pgid=,rss=,comm='], { encoding: 'utf8' });
  let kib = 0;
  for (const line of out.split('\n')) {
    const [pgid, rss, comm] = line.trim().split(/\s+/);
    if (Number(pgid) === pid && comm?.startsWith('workerd')) kib += Number(rss);
  }
  return kib / 1024;
}

const pick = (items, i) => items[i % items.length];
const REVIEWS = ['I love this product', 'Terrible support, never again', 'It arrived on time and works', 'The battery died after a week', 'Absolutely fantastic value', 'Not sure how I feel about it'];
const QUESTIONS = ['How long does shipping take?', 'Can I get a refund for a gift card?', 'How do I reset my password?', 'Do you ship to Switzerland?'];
const FAULT_DIRECTIVES = ['[[hf:503]]', '[[hf:500]]', '[[hf:hang]]'];

/** One request of the mix; `i` makes inputs vary (a share repeats, so the cache answers some). */
function nextRequest(i, ctx) {
  const faulty = Math.random() < FAULTS;
  const fault = faulty ? ` ${pick(FAULT_DIRECTIVES, i)}` : '';
  const variant = i % 4 === 0 ? ` #${i}` : ''; // a quarter are new inputs, the rest repeat
  const tenant = pick(ctx.tenants, Math.floor(i / 8));
  const auth = tenant.auth;
  switch (i % 8) {
    case 0:
    case 1:
      return { kind: 'sentiment', tenant: tenant.id, faulty, path: '/v1/sentiment', headers: auth, body: { text: `${pick(REVIEWS, i)}${variant}${fault}` } };
    case 2:
      return { kind: 'embed', tenant: tenant.id, faulty, path: '/v1/embed', headers: auth, body: { text: `${pick(QUESTIONS, i)}${variant}${fault}` } };
    case 3:
      return { kind: 'classify', tenant: tenant.id, faulty, path: '/v1/classify', headers: auth, body: { text: `${pick(REVIEWS, i)}${variant}${fault}`, labels: ['shipping', 'billing', 'product quality'] } };
    case 4:
      return { kind: 'language', faulty: false, path: '/v1/language', headers: ctx.publishable.from(i), body: { text: `${pick(REVIEWS, i)}${variant}` } };
    case 5:
      return { kind: 'search', faulty: false, path: `/v1/kb/${ctx.kb}/search`, headers: ctx.owner.auth, body: { query: pick(QUESTIONS, i), top_k: 3 } };
    case 6:
      return { kind: 'chat', faulty: false, path: '/v1/chat', headers: ctx.owner.auth, body: { bot: ctx.bot, message: pick(QUESTIONS, i) } };
    default:
      return { kind: 'chat-stream', faulty: false, path: '/v1/chat', headers: ctx.owner.auth, body: { bot: ctx.bot, message: pick(QUESTIONS, i), stream: true } };
  }
}

async function setUp() {
  const tenants = [];
  for (let t = 0; t < 3; t++) {
    const tenant = await createTenant(server, `soak-${t}`, { sentiment: { providers: ['huggingface', 'local'] }, embed: { providers: ['huggingface', 'local'] } });
    await server.json('PUT', `/admin/tenants/${tenant.id}/tasks/classify`, ADMIN, { providers: ['local', 'huggingface'], cascade: {} });
    tenants.push(tenant);
  }
  const owner = tenants[0];
  const pk = await server.json('POST', `/admin/tenants/${owner.id}/keys`, ADMIN, { kind: 'publishable', origins: ['https://shop.example'], visitor_limits: { rpm: 100_000, burst: 100_000 } }, 201);
  const publishable = { from: (i) => ({ authorization: `Bearer ${pk.key}`, origin: 'https://shop.example', 'cf-connecting-ip': `198.51.100.${(i % 50) + 1}` }) };
  const kb = await server.json('POST', '/v1/kb', owner.auth, { name: 'Help center', embedding: 'local' }, 201);
  for (const [title, text] of [
    ['Shipping', 'Standard shipping takes three to seven days. We ship to the EU, the UK and Switzerland.'],
    ['Refunds', 'Refunds are issued within five business days. Gift cards cannot be refunded.'],
    ['Passwords', 'To reset your password open Settings and Security and follow the link we email you.'],
  ]) await server.json('POST', `/v1/kb/${kb.id}/documents`, owner.auth, { title, text }, 201);
  const bot = await server.json('POST', '/v1/bots', owner.auth, { name: 'Helper', instructions: 'Answer from the help center.', knowledge_bases: [kb.id], providers: ['local'] }, 201);
  return { tenants, owner, publishable, kb: kb.id, bot: bot.id };
}

function percentile(sorted, p) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function drive(ctx) {
  const port = server.port;
  const stats = { sent: 0, done: 0, byKind: {}, statuses: {}, codes: {}, hung: 0, unexpected: [], servedByTenant: {} };
  const inFlight = new Set();
  const endAt = Date.now() + MINUTES * 60_000;
  const intervalMs = 1000 / RATE;
  const started = Date.now();
  let i = 0;
  let lastReport = started;
  while (Date.now() < endAt) {
    const due = started + i * intervalMs;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
    const req = nextRequest(i++, ctx);
    stats.sent++;
    const t0 = performance.now();
    const timer = new Promise((resolve) => setTimeout(() => resolve({ status: 'hung' }), REQUEST_TIMEOUT_MS));
    const work = Promise.race([client.request({ host: '127.0.0.1', port }, 'POST', req.path, req.headers, req.body), timer])
      .then((res) => record(stats, req, res, performance.now() - t0), (error) => record(stats, req, { status: 'network', text: String(error) }, performance.now() - t0))
      .finally(() => inFlight.delete(work));
    inFlight.add(work);
    if (Date.now() - lastReport > 30_000) {
      lastReport = Date.now();
      console.log(`  ${((Date.now() - started) / 1000).toFixed(0)} s: ${stats.done}/${stats.sent} answered, ${inFlight.size} in flight, workerd RSS ${workerdRssMiB(server.pid).toFixed(0)} MiB`);
    }
  }
  await Promise.all(inFlight);
  return { stats, seconds: (Date.now() - started) / 1000 };
}

function record(stats, req, res, ms) {
  stats.done++;
  const kind = (stats.byKind[req.kind] ??= { n: 0, ok: 0, latencies: [], faulty: 0 });
  kind.n++;
  if (req.faulty) kind.faulty++;
  kind.latencies.push(ms);
  const status = String(res.status);
  stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
  if (res.status === 'hung') {
    stats.hung++;
    return;
  }
  if (res.status === 200) {
    kind.ok++;
    if (req.tenant) stats.servedByTenant[req.tenant] = (stats.servedByTenant[req.tenant] ?? 0) + 1;
    // A stream that ends in an `error` event is a failure the status cannot show.
    if (req.kind === 'chat-stream' && !/event: done/.test(res.text)) stats.unexpected.push(`chat stream without a done event: ${res.text.slice(-200)}`);
    return;
  }
  let code = 'unparsed';
  try {
    code = JSON.parse(res.text).error.code;
  } catch {
    // not the error shape
  }
  const key = `${status} ${code}`;
  stats.codes[key] = (stats.codes[key] ?? 0) + 1;
  const upstream = res.status === 502 || res.status === 503 || res.status === 504;
  // Only a request carrying a fault may fail, and only as an upstream error in the one error shape.
  if (!(upstream && req.faulty && code !== 'unparsed')) stats.unexpected.push(`${req.kind}${req.faulty ? ' (fault)' : ''}: ${status} ${res.text?.slice(0, 200)}`);
}

/** Polls the usage API until each tenant's request count stops growing; returns the totals. */
async function usageRequests(tenants) {
  let last = -1;
  for (let attempt = 0; attempt < 40; attempt++) {
    let total = 0;
    for (const tenant of tenants) total += (await server.json('GET', '/v1/usage?group_by=task', tenant.auth)).totals.requests;
    if (total === last) return total;
    last = total;
    await new Promise((resolve) => setTimeout(resolve, 1500));
  }
  return last;
}

async function main() {
  stub = await startHfStandIn();
  console.log(`soak: HF stand-in at ${stub.baseUrl}; starting wrangler dev (fresh state in ${STATE})…`);
  server = await startLocalServer({ stateDir: STATE, vars: { HF_TOKEN: 'soak', HF_BASE_URL: stub.baseUrl, PROVIDER_TIMEOUT_MS: '2000' } });
  client = keepAliveClient(64);
  const ctx = await setUp();
  // Warm every path once, then take the starting memory.
  for (let i = 0; i < 8; i++) await server.request('POST', nextRequest(i, ctx).path, nextRequest(i, ctx).headers, nextRequest(i, ctx).body);
  const rssStart = workerdRssMiB(server.pid);
  console.log(`soak: ${MINUTES} min at ${RATE} req/s, ${(FAULTS * 100).toFixed(0)}% of HF-bound requests with a fault; workerd RSS ${rssStart.toFixed(0)} MiB`);

  const { stats, seconds } = await drive(ctx);
  const rssEnd = workerdRssMiB(server.pid);

  console.log('\n| kind | requests | 200 | with a fault | p50 (ms) | p99 (ms) |');
  console.log('|---|---:|---:|---:|---:|---:|');
  const all = [];
  for (const [kind, row] of Object.entries(stats.byKind)) {
    const sorted = row.latencies.sort((a, b) => a - b);
    all.push(...sorted);
    console.log(`| ${kind} | ${row.n} | ${row.ok} | ${row.faulty} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} |`);
  }
  all.sort((a, b) => a - b);
  const served = Object.values(stats.byKind).reduce((sum, row) => sum + row.ok, 0);
  console.log(`| **all** | ${stats.done} | ${served} | | ${percentile(all, 50).toFixed(1)} | ${percentile(all, 99).toFixed(1)} |`);
  console.log(`\nsoak: ${stats.done} requests in ${seconds.toFixed(0)} s (${(stats.done / seconds).toFixed(1)} req/s), ${served} served (200)`);
  console.log(`statuses: ${JSON.stringify(stats.statuses)}`);
  console.log(`errors by status and code: ${JSON.stringify(stats.codes)}`);
  console.log(`hung past ${REQUEST_TIMEOUT_MS} ms: ${stats.hung}`);
  console.log(`workerd RSS: start ${rssStart.toFixed(0)} MiB, end ${rssEnd.toFixed(0)} MiB`);

  // Every answered task request of the tenants that only ran tasks must be in the usage API (nothing lost).
  const others = ctx.tenants.slice(1);
  const served2 = others.reduce((sum, tenant) => sum + (stats.servedByTenant[tenant.id] ?? 0), 0);
  const recorded = await usageRequests(others);
  console.log(`usage records: ${recorded} in the usage API for the ${served2} task requests answered 200 to tenants 2 and 3 (${served2 - recorded} missing)`);
  if (recorded !== served2) stats.unexpected.push(`usage API has ${recorded} records for ${served2} answered requests`);

  console.log(`\nsoak: exactness scenario at scale ${SCALE}…`);
  const loadClient = {
    async request(method, path, headers, body) {
      const res = await client.request({ host: '127.0.0.1', port: server.port }, method, path, headers, body);
      let parsed = null;
      try {
        parsed = JSON.parse(res.text);
      } catch {
        // not JSON
      }
      return { status: res.status, header: (name) => res.headers[name] ?? null, body: parsed };
    },
  };
  const prices = (await server.json('GET', '/v1/models', ctx.owner.auth)).data.filter((model) => model.tasks.includes('sentiment')).map((model) => model.price.usd_per_million);
  // As src/providers/pricing.ts maxCostOf: the dearest of the task's models and the providers' fallback prices.
  const maxUsdPerMillion = Math.max(0.1, 0.05, ...prices);
  const estimate = (text) => ((Math.ceil(Buffer.byteLength(text, 'utf8') / 4) + 2) * maxUsdPerMillion) / 1_000_000;
  const ready = await setUpExactness(loadClient, planExactness(SCALE), { budgetEstimateUsd: estimate, paidProviders: ['huggingface'] });
  const exact = await runExactness(loadClient, ready, { concurrency: 64 });
  console.log(`exactness: ${exact.requests} requests in ${exact.elapsedMs} ms, 64 connections\n${exactnessTable(exact.rows)}`);

  const failures = [...stats.unexpected.slice(0, 10), ...exact.problems];
  if (stats.unexpected.length > 10) failures.push(`… and ${stats.unexpected.length - 10} more unexpected answers`);
  if (stats.hung > 0) failures.push(`${stats.hung} requests hung past ${REQUEST_TIMEOUT_MS} ms`);
  for (const failure of failures) console.log(`FAILED: ${failure}`);
  if (failures.length > 0) process.exitCode = 1;
  console.log(`soak: ${failures.length === 0 ? 'passed' : 'FAILED'}`);
}

main()
  .catch((error) => {
    console.error(`soak: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  })
  .finally(shutdown);
