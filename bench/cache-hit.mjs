#!/usr/bin/env node
// `npm run bench`: how much a cache-hit `POST /v1/sentiment` costs over a bare route.
//
// What it does: starts the real Worker with `wrangler dev --local` on a free port and a fresh
// state dir (.wrangler/bench-state), creates a tenant with effectively unlimited rate/budget and a
// secret key, primes the cache with one MISS, then times sequential requests on ONE keep-alive
// connection to `GET /healthz` (bare: routing + middleware + a tiny JSON body) and to the
// cache-hit sentiment call (key lookup, TenantGuard admission RPC, cache read, metering enqueue).
// Every measured sentiment response must be 200 with `x-cache: HIT`, or the run aborts.
//
// Why it is shaped like this: the machine is small and shared, so both routes are measured in
// alternating blocks (bare/hit, then hit/bare, ...) and drift or a noisy neighbour hits both
// alike. Latency is client-observed: request write → last body byte, via process.hrtime.bigint().
//
// Knobs (env):  BENCH_REQUESTS  requests per route per round   (default 1000)
//               BENCH_ROUNDS    alternating rounds              (default 6)
//               BENCH_WARMUP    warm-up requests per route      (default 300)
//
// Reading it: p50 is the typical request, p99 the tail; "overhead" is hit minus bare, i.e. what the
// full path adds per request on a hit. The target is overhead ≤ 1 ms. Numbers include the local
// workerd/miniflare proxy hop, so absolute latencies are higher than at the edge; the difference
// is what matters. The server (scripts/lib/local-server.mjs) is always stopped, on error too.
// Locally the usage queue's consumer runs inside the same workerd: when a batch fills
// (max_batch_size = 100 in wrangler.toml) the next hit waits for the flush (~7 ms here). That is
// ~1% of hits, so it sits right at p99; p50 is the steady-state cost.
import { ADMIN, startLocalServer } from '../scripts/lib/local-server.mjs';

const REQUESTS = positiveInt('BENCH_REQUESTS', 1000);
const ROUNDS = positiveInt('BENCH_ROUNDS', 6);
const WARMUP = positiveInt('BENCH_WARMUP', 300);
const STATE = '.wrangler/bench-state';

function positiveInt(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer (got ${process.env[name]})`);
  return value;
}

let server;
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => (server?.stop() ?? Promise.resolve()).finally(() => process.exit(130)));

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

function summarize(results) {
  const sorted = results.flatMap((r) => r.samples).sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]; // nearest rank
  const wallMs = results.reduce((sum, r) => sum + r.wallMs, 0);
  return { n: sorted.length, p50: pct(50), p99: pct(99), rps: sorted.length / (wallMs / 1000) };
}

async function main() {
  console.log(`bench: starting wrangler dev (fresh state in ${STATE})…`);
  server = await startLocalServer({ stateDir: STATE });
  const { request, json } = server;
  const tenant = await json('POST', '/admin/tenants', ADMIN, { name: 'bench', limits: { rpm: 1_000_000, burst: 1_000_000, daily_budget_usd: 1000 } }, 201);
  const { key } = await json('POST', `/admin/tenants/${tenant.id}/keys`, ADMIN, { kind: 'secret' }, 201);

  const bare = () => request('GET', '/healthz');
  const hit = () => request('POST', '/v1/sentiment', { Authorization: `Bearer ${key}` }, { text: 'I love this product' });
  const ok = (res) => { if (res.status !== 200) throw new Error(`GET /healthz: ${res.status}: ${res.text}`); };
  const isHit = (res) => {
    if (res.status !== 200 || res.headers['x-cache'] !== 'HIT') throw new Error(`POST /v1/sentiment: expected 200 + x-cache: HIT, got ${res.status} + x-cache: ${res.headers['x-cache']}: ${res.text}`);
  };

  const first = await hit(); // fills the cache (the write lands via waitUntil, right after)
  if (first.status !== 200 || first.headers['x-cache'] !== 'MISS') throw new Error(`priming call: expected 200 MISS, got ${first.status} ${first.headers['x-cache']}: ${first.text}`);
  await new Promise((resolve) => setTimeout(resolve, 200));

  console.log(`bench: warm-up ${WARMUP} + ${ROUNDS} rounds × ${REQUESTS} requests per route, 1 keep-alive connection…`);
  await block(WARMUP, bare, ok);
  await block(WARMUP, hit, isHit);
  const runs = { bare: [], hit: [] };
  for (let round = 0; round < ROUNDS; round++) {
    // ABBA order: neither route always goes first (e.g. right after a GC or a log flush).
    const order = round % 2 === 0 ? ['bare', 'hit'] : ['hit', 'bare'];
    for (const route of order) runs[route].push(await block(REQUESTS, route === 'bare' ? bare : hit, route === 'bare' ? ok : isHit));
  }
  report(summarize(runs.bare), summarize(runs.hit));
}

function report(bare, hit) {
  const ms = (x) => x.toFixed(2);
  const diff = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
  const d50 = hit.p50 - bare.p50;
  const d99 = hit.p99 - bare.p99;
  console.log('\n| Route | p50 (ms) | p99 (ms) | Throughput (req/s) |');
  console.log('|---|---:|---:|---:|');
  console.log(`| \`GET /healthz\` (bare) | ${ms(bare.p50)} | ${ms(bare.p99)} | ${bare.rps.toFixed(0)} |`);
  console.log(`| \`POST /v1/sentiment\` (cache hit) | ${ms(hit.p50)} | ${ms(hit.p99)} | ${hit.rps.toFixed(0)} |`);
  console.log(`| Overhead (hit − bare) | ${diff(d50)} | ${diff(d99)} | — |`);
  console.log(`| Ratio (hit ÷ bare) | ${(hit.p50 / bare.p50).toFixed(2)}× | ${(hit.p99 / bare.p99).toFixed(2)}× | ${(hit.rps / bare.rps).toFixed(2)}× |`);
  console.log(`\n_${ROUNDS} alternating rounds × ${REQUESTS} sequential requests per route on one keep-alive connection, \`wrangler dev --local\`, Node ${process.version}._\n`);
  console.log(`cache-hit overhead: p50 ${diff(d50)} ms, p99 ${diff(d99)} ms (ratio p50 ${(hit.p50 / bare.p50).toFixed(2)}x)`);
  console.log(`target (≤ 1 ms added per request): p50 ${d50 <= 1 ? 'met' : 'NOT met'}, p99 ${d99 <= 1 ? 'met' : 'NOT met'}`);
}

main()
  .catch((error) => {
    console.error(`bench: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(() => server?.stop());
