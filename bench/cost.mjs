#!/usr/bin/env node
// `npm run bench:cost`: what minnow's pipeline (per-item cache, local tier, cascade) costs on a
// realistic workload, against calling each task's default Workers AI model for every request.
//
// What it does: builds the workload of bench/workload.mjs (12,000 single-item requests over six
// tasks, inputs drawn Zipf-like from a vocabulary per task, fixed seed), starts the Hugging Face
// stand-in (test/fakes/hf-stub-server.ts, bundled with esbuild) in this process as the paid
// provider, starts the real Worker (`wrangler dev --local`, fresh state in .wrangler/bench-cost-state)
// with HF_TOKEN/HF_BASE_URL pointing at it, and replays the workload twice through 8 keep-alive
// clients:
//   1. "minnow": a tenant using the pipeline normally — cache on; the local tier alone where it is
//      good enough (docs/local-tier.md's quality table: entity patterns, language); a cascade (local first,
//      escalate to Hugging Face when not confident) for sentiment, classify and moderate when the
//      server supports one for the task; Hugging Face otherwise (embeddings: word vectors are not
//      a substitute and are not comparable with neural vectors). Its cost is the sum of every
//      response's `usage.cost_usd`.
//   2. "direct": a tenant sending `Cache-Control: no-cache` with providers ['huggingface'], so
//      every request reaches the paid provider. The DIRECT COST reported is what each request
//      would cost on the task's default Workers AI model (run-task.ts `baselineCost`: Workers AI's
//      default model, else Hugging Face's; none for language, which only the local tier serves):
//      estimated tokens (ceil(UTF-8 bytes / 4) + 2 per text, classify adds its labels) × the
//      model's price from GET /v1/models.
// Both sums are checked against GET /v1/usage (cost_usd and baseline_cost_usd, per tenant).
// Single-flight: a request answered by a concurrent identical request's call says
// `x-cache: COALESCED` and costs nothing; the no-cache direct tenant gets those too (no-cache skips
// the cache read, not the coalescing), so its "paid calls" are counted as one per request.
//
// Also checked: every `x-cache: HIT` (and COALESCED) answer must carry exactly the results of the
// first MISS answer for the same tenant and input; any mismatch, or any non-200 answer, fails the
// run (exit 1).
//
// Knobs (env): BENCH_REQUESTS, BENCH_ZIPF_S, BENCH_VOCAB, BENCH_SEED (see bench/workload.mjs),
// BENCH_CLIENTS (8), BENCH_CASCADE (on|off), BENCH_CASCADE_THRESHOLD (default: each task's own).
// The last line is exactly `cost ratio: <minnow cost / direct cost>`.
import { isDeepStrictEqual } from 'node:util';
import { createTenant, keepAliveClient, startLocalServer } from '../scripts/lib/local-server.mjs';
import { startHfStandIn } from '../scripts/lib/hf-stand-in.mjs';
import { buildWorkload, TASK_SHARES, zipfHeadShare } from './workload.mjs';

const STATE = '.wrangler/bench-cost-state';
const TARGET_RATIO = 0.25;
const REQUESTS = positiveNumber('BENCH_REQUESTS', 12_000, true);
const ZIPF_S = positiveNumber('BENCH_ZIPF_S', 0.9);
const VOCAB_FACTOR = positiveNumber('BENCH_VOCAB', 2);
const SEED = positiveNumber('BENCH_SEED', 20261128, true);
const CLIENTS = positiveNumber('BENCH_CLIENTS', 8, true);
const CASCADE = (process.env.BENCH_CASCADE ?? 'on') !== 'off';
const CASCADE_THRESHOLD = process.env.BENCH_CASCADE_THRESHOLD === undefined ? undefined : Number(process.env.BENCH_CASCADE_THRESHOLD);

function positiveNumber(name, fallback, integer = false) {
  const value = Number(process.env[name] ?? fallback);
  if (!(value > 0) || (integer && !Number.isInteger(value))) throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'} (got ${process.env[name]})`);
  return value;
}

/**
 * The model the direct path calls per task: the task's default Workers AI model, else its default
 * Hugging Face model (entities), else none (language) — as run-task.ts `baselineCost` picks it.
 */
const DIRECT_MODEL = {
  sentiment: '@cf/huggingface/distilbert-sst-2-int8',
  classify: '@cf/baai/bge-small-en-v1.5',
  embed: '@cf/baai/bge-small-en-v1.5',
  moderate: '@cf/meta/llama-guard-3-8b',
  entities: 'dslim/bert-base-NER',
  language: null,
};

/** How the minnow tenant is served per task, and why (docs/local-tier.md's quality table). */
const MINNOW_ROUTE = {
  sentiment: { cascade: true, why: 'local 82% alone: only as the first step of a cascade' },
  classify: { cascade: true, why: 'local 81% alone: only as the first step of a cascade' },
  embed: { providers: ['huggingface'], why: 'word vectors are lexical (65.6%) and not comparable with neural vectors' },
  moderate: { cascade: true, why: 'the local lexicon misses veiled abuse: local only as the first step of a cascade, else HF' },
  entities: { providers: ['local'], why: 'the tenant extracts pattern types, which the local tier gets right 96.9%' },
  language: { providers: ['local'], why: 'only the local tier serves it (97.6%)' },
};

/** Estimated tokens of one text, as src/providers/pricing.ts `estimateTokens`. */
const estimateTokens = (text) => Math.ceil(Buffer.byteLength(text, 'utf8') / 4) + 2;
/** Billable units of one request body, as each task's `units` (every request here is one item). */
const unitsOf = (task, body) => estimateTokens(body.text) + (task === 'classify' ? body.labels.reduce((sum, label) => sum + estimateTokens(label), 0) : 0);

let server;
let stub;
let client;
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => shutdown().finally(() => process.exit(130)));
async function shutdown() {
  client?.close();
  await server?.stop();
  await stub?.close();
}

function httpClient(port) {
  const { request, close } = keepAliveClient(CLIENTS);
  return { worker: (method, path, headers, body) => request({ host: '127.0.0.1', port }, method, path, headers, body), raw: (method, origin, path, headers, body) => request(origin, method, path, headers, body), close };
}

async function stubCalls(client) {
  const { port } = new URL(stub.baseUrl);
  const res = await client.raw('GET', { host: '127.0.0.1', port: Number(port) }, '/__calls?text=');
  return JSON.parse(res.text).calls;
}

function emptyRow() {
  return { requests: 0, hits: 0, coalesced: 0, local: 0, paid: 0, cost: 0, direct: 0, paidUnits: 0, directPaid: 0, directCost: 0 };
}

/**
 * Replays the sequence for one tenant with CLIENTS concurrent keep-alive clients. For minnow,
 * also checks every HIT against the first MISS answer for the same input.
 */
async function replay(client, tenant, sequence, { direct, prices }) {
  const rows = Object.fromEntries(Object.keys(TASK_SHARES).map((task) => [task, emptyRow()]));
  const firstAnswer = new Map();
  const orphanHits = []; // a HIT whose MISS response had not been read yet (possible with concurrent clients)
  const check = { hits: 0, mismatches: [] };
  const errors = [];
  const headers = direct ? { ...tenant.auth, 'Cache-Control': 'no-cache' } : tenant.auth;
  let next = 0;
  let done = 0;
  const started = performance.now();
  const progress = setInterval(() => process.stdout.write(`  ${direct ? 'direct' : 'minnow'}: ${done}/${sequence.length} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`), 15_000);

  async function one(entry) {
    const res = await client.worker('POST', `/v1/${entry.task}`, headers, entry.body);
    if (res.status !== 200) {
      errors.push(`${entry.task} ${JSON.stringify(entry.body).slice(0, 80)}: ${res.status} ${res.text.slice(0, 200)}`);
      return;
    }
    const envelope = JSON.parse(res.text);
    const cache = res.headers['x-cache'];
    const row = rows[entry.task];
    row.requests++;
    const directCost = DIRECT_MODEL[entry.task] ? (unitsOf(entry.task, entry.body) * prices.get(DIRECT_MODEL[entry.task])) / 1e6 : 0;
    row.direct += directCost;
    // Only a request that called a provider itself says MISS (single items: never PARTIAL); HIT came
    // from the cache, COALESCED from a concurrent identical request's call (single-flight).
    const computed = cache === 'MISS' || cache === 'PARTIAL';
    const paid = computed && (envelope.cascade ? envelope.cascade.answered.some((step) => step.provider !== 'local') : envelope.provider !== 'local');
    if (cache === 'COALESCED') row.coalesced++;
    if (direct) {
      // no-cache skips the cache read, not single-flight: a concurrent identical request may be COALESCED.
      if (cache !== 'MISS' && cache !== 'COALESCED') errors.push(`${entry.task}: a no-cache request answered x-cache: ${cache}`);
      if (paid) row.directPaid++;
      row.directCost += envelope.usage.cost_usd;
      return;
    }
    row.cost += envelope.usage.cost_usd;
    if (cache === 'HIT') row.hits++;
    if (paid) {
      row.paid++;
      row.paidUnits += unitsOf(entry.task, entry.body);
    } else if (computed) row.local++;

    const key = `${entry.task}\u0000${JSON.stringify(entry.body)}`;
    if (cache === 'HIT' || cache === 'COALESCED') {
      check.hits++;
      if (!firstAnswer.has(key)) orphanHits.push({ key, results: envelope.results });
      else if (!isDeepStrictEqual(envelope.results, firstAnswer.get(key))) check.mismatches.push({ key, hit: envelope.results, first: firstAnswer.get(key) });
    } else if (cache === 'MISS' && !firstAnswer.has(key)) {
      firstAnswer.set(key, envelope.results);
    }
  }

  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < sequence.length && errors.length < 20) {
        await one(sequence[next++]);
        done++;
      }
    }),
  );
  clearInterval(progress);
  for (const orphan of orphanHits) {
    if (!firstAnswer.has(orphan.key)) check.mismatches.push({ key: orphan.key, hit: orphan.results, first: 'no MISS answer seen for this input' });
    else if (!isDeepStrictEqual(orphan.results, firstAnswer.get(orphan.key))) check.mismatches.push({ key: orphan.key, hit: orphan.results, first: firstAnswer.get(orphan.key) });
  }
  return { rows, check, errors, seconds: (performance.now() - started) / 1000 };
}

/** Configures the minnow tenant: the base route per task, then a cascade where the server offers one. */
async function minnowTenant() {
  const base = Object.fromEntries(Object.entries(MINNOW_ROUTE).map(([task, route]) => [task, { providers: route.providers ?? ['huggingface'] }]));
  const tenant = await createTenant(server, 'bench-cost-minnow', base);
  const routes = {};
  for (const [task, route] of Object.entries(MINNOW_ROUTE)) {
    routes[task] = base[task].providers.join(' → ').replace('huggingface', 'HF');
    if (!route.cascade || !CASCADE) continue;
    const config = { providers: ['local', 'huggingface'], cascade: CASCADE_THRESHOLD === undefined ? {} : { threshold: CASCADE_THRESHOLD } };
    const res = await server.request('PUT', `/admin/tenants/${tenant.id}/tasks/${task}`, { Authorization: 'Bearer dev-admin-token' }, config);
    if (res.status === 200) routes[task] = `local → HF (cascade, confidence ≥ ${JSON.parse(res.text).cascade.threshold})`;
    else if (res.status === 400) {
      routes[task] = 'HF (no cascade offered)';
      console.log(`  minnow ${task}: no cascade — ${JSON.parse(res.text).error?.message ?? res.text}`);
    }
    else throw new Error(`PUT ${task} cascade: ${res.status} ${res.text}`);
  }
  return { tenant, routes };
}

/** Polls GET /v1/usage until every request of the tenant is in (the usage queue is asynchronous). */
async function usageTotals(client, tenant, expectedRequests) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await client.worker('GET', '/v1/usage?group_by=task', tenant.auth);
    if (res.status !== 200) throw new Error(`GET /v1/usage: ${res.status} ${res.text}`);
    const report = JSON.parse(res.text);
    if (report.totals.requests >= expectedRequests || Date.now() > deadline) return { ...report.totals, byTask: report.data };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const usd = (value) => `$${value.toFixed(6)}`;
const ratio = (a, b) => (b > 0 ? (a / b).toFixed(3) : '—');
const pct = (a, b) => (b > 0 ? `${((100 * a) / b).toFixed(1)}%` : '—');
const close = (a, b) => Math.abs(a - b) <= 1e-9 + 1e-6 * Math.max(Math.abs(a), Math.abs(b));

async function main() {
  const workload = buildWorkload({ requests: REQUESTS, s: ZIPF_S, vocabFactor: VOCAB_FACTOR, seed: SEED });
  const { sequence, vocabularies } = workload;
  console.log(`bench:cost: ${REQUESTS} requests, Zipf s=${ZIPF_S}, vocabulary ${VOCAB_FACTOR}× each task's requests, seed ${SEED}, ${CLIENTS} clients`);
  for (const [task, vocab] of Object.entries(vocabularies)) {
    const drawn = sequence.filter((entry) => entry.task === task);
    const distinct = new Set(drawn.map((entry) => entry.rank)).size;
    console.log(`  ${task.padEnd(9)} share ${(TASK_SHARES[task] * 100).toFixed(0).padStart(2)}%  vocabulary ${String(vocab.length).padStart(5)}  requests ${String(drawn.length).padStart(5)}  distinct drawn ${String(distinct).padStart(5)}  top input ${(zipfHeadShare(vocab.length, ZIPF_S, 1) * 100).toFixed(1)}% of the task's requests`);
  }

  stub = await startHfStandIn();
  console.log(`bench:cost: Hugging Face stand-in at ${stub.baseUrl}; starting wrangler dev (fresh state in ${STATE})…`);
  server = await startLocalServer({ stateDir: STATE, vars: { HF_TOKEN: 'bench', HF_BASE_URL: stub.baseUrl } });
  const health = await server.json('GET', '/healthz');
  if (!JSON.stringify(health).includes('huggingface')) throw new Error(`/healthz does not mention huggingface: ${JSON.stringify(health)}`);

  const { tenant: minnow, routes } = await minnowTenant();
  const direct = await createTenant(server, 'bench-cost-direct', Object.fromEntries(Object.keys(MINNOW_ROUTE).map((task) => [task, { providers: DIRECT_MODEL[task] ? ['huggingface'] : ['local'] }])));
  const catalog = await server.json('GET', '/v1/models', minnow.auth);
  const prices = new Map(catalog.data.map((model) => [model.id, model.price.usd_per_million]));
  for (const model of Object.values(DIRECT_MODEL)) if (model && !prices.has(model)) throw new Error(`${model} is not in GET /v1/models`);
  for (const [task, route] of Object.entries(routes)) console.log(`  minnow ${task}: ${route} — ${MINNOW_ROUTE[task].why}`);

  client = httpClient(server.port);
  const before = await stubCalls(client);
  const m = await replay(client, minnow, sequence, { direct: false, prices });
  const afterMinnow = await stubCalls(client);
  console.log(`bench:cost: minnow pass ${m.seconds.toFixed(1)} s (${(sequence.length / m.seconds).toFixed(0)} req/s)`);
  const d = await replay(client, direct, sequence, { direct: true, prices });
  const afterDirect = await stubCalls(client);
  console.log(`bench:cost: direct pass ${d.seconds.toFixed(1)} s (${(sequence.length / d.seconds).toFixed(0)} req/s)`);
  const failures = [...m.errors, ...d.errors];

  // Merge the two passes per task.
  const tasks = Object.keys(TASK_SHARES);
  // The direct path calls its model for every request of a task that has one (language has none).
  const rows = tasks.map((task) => ({
    task,
    ...m.rows[task],
    directPaid: DIRECT_MODEL[task] ? m.rows[task].requests : 0,
    directObservedPaid: d.rows[task].directPaid,
    directCoalesced: d.rows[task].coalesced,
    directHfCost: d.rows[task].directCost,
  }));
  const total = rows.reduce((sum, row) => {
    for (const field of Object.keys(sum)) sum[field] += row[field];
    return sum;
  }, { requests: 0, hits: 0, coalesced: 0, local: 0, paid: 0, cost: 0, direct: 0, paidUnits: 0, directPaid: 0, directObservedPaid: 0, directCoalesced: 0, directHfCost: 0 });

  // Cross-checks: the usage API's own sums, and the stand-in's call counter.
  const [minnowUsage, directUsage] = [await usageTotals(client, minnow, total.requests), await usageTotals(client, direct, total.requests)];
  // The sums must agree exactly when every request was recorded. A usage event that never reached
  // D1 is a metering problem, not a cost one: reported as a warning, and that tenant's sums are not compared.
  const warnings = [];
  const checks = [
    [minnowUsage, 'minnow cost (usage API cost_usd)', minnowUsage.cost_usd, total.cost],
    [minnowUsage, 'direct cost (usage API baseline_cost_usd, minnow tenant)', minnowUsage.baseline_cost_usd, total.direct],
    [directUsage, 'direct cost (usage API baseline_cost_usd, direct tenant)', directUsage.baseline_cost_usd, total.direct],
  ];
  for (const [usage, name, api, ours] of checks) {
    if (usage.requests === total.requests && !close(api, ours)) failures.push(`${name}: the usage API says ${api}, the responses add up to ${ours}`);
  }
  for (const [name, usage] of [['minnow', minnowUsage], ['direct', directUsage]]) {
    if (usage.requests !== total.requests) warnings.push(`usage API recorded ${usage.requests} of the ${name} tenant's ${total.requests} requests after waiting (${usage.byTask.map((g) => `${g.group} ${g.requests}`).join(', ')}): usage events were lost; its sums were not compared`);
  }
  const hfCalls = { minnow: afterMinnow - before, direct: afterDirect - afterMinnow };

  // Minnow's paid calls priced at the direct model (Workers AI where the task has one) instead of HF's
  // estimate: separates what the cache and the local tier save from what a cheaper paid model saves.
  const paidAtDirectPrice = rows.reduce((sum, row) => sum + (DIRECT_MODEL[row.task] ? (row.paidUnits * prices.get(DIRECT_MODEL[row.task])) / 1e6 : 0), 0);

  console.log('\n| task | minnow serves it with | requests | cache hits | answered locally | paid calls (minnow / direct) | minnow cost | direct cost | ratio |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    console.log(`| ${row.task} | ${routes[row.task]} | ${row.requests} | ${row.hits} (${pct(row.hits, row.requests)}) | ${row.local} | ${row.paid} / ${row.directPaid} | ${usd(row.cost)} | ${usd(row.direct)} | ${ratio(row.cost, row.direct)} |`);
  }
  console.log(`| **total** | | ${total.requests} | ${total.hits} (${pct(total.hits, total.requests)}) | ${total.local} | ${total.paid} / ${total.directPaid} | ${usd(total.cost)} | ${usd(total.direct)} | **${ratio(total.cost, total.direct)}** |`);
  console.log(`\n_Direct = the task's default Workers AI model for every request (entities: HF NER, no Workers AI model; language: no neural model, $0). Minnow's paid provider is the Hugging Face stand-in at minnow's HF price estimates. ${REQUESTS} requests, Zipf s=${ZIPF_S}, vocabulary ${VOCAB_FACTOR}× requests per task, seed ${SEED}, ${CLIENTS} clients, Node ${process.version}._\n`);

  console.log(`elapsed: minnow ${m.seconds.toFixed(1)} s, direct ${d.seconds.toFixed(1)} s`);
  console.log(`calls that reached a paid provider: minnow ${total.paid}, direct ${total.directPaid} (HTTP calls the HF stand-in received: minnow ${hfCalls.minnow}, direct tenant ${hfCalls.direct})`);
  console.log(`single-flight: ${total.coalesced} minnow requests answered by a concurrent identical request (x-cache: COALESCED); the no-cache direct tenant had ${total.directCoalesced}, so it made ${total.directObservedPaid} calls, not ${total.directPaid}`);
  console.log(`total cost: minnow ${usd(total.cost)}, direct ${usd(total.direct)} (the direct tenant's own HF bill: ${usd(total.directHfCost)})`);
  console.log(`minnow's paid calls at the direct models' prices: ${usd(paidAtDirectPrice)} (ratio ${ratio(paidAtDirectPrice, total.direct)}: what cache + local tier save; the rest is HF's price vs the direct model's)`);
  console.log(`usage API: minnow cost ${usd(minnowUsage.cost_usd)}, baseline ${usd(minnowUsage.baseline_cost_usd)} over ${minnowUsage.requests} requests (minnow tenant); baseline ${usd(directUsage.baseline_cost_usd)} over ${directUsage.requests} requests (direct tenant)`);
  console.log(`cache hits (and coalesced answers) checked against the first MISS answer for the same input: ${m.check.hits}, mismatches: ${m.check.mismatches.length}`);
  for (const mismatch of m.check.mismatches.slice(0, 5)) failures.push(`HIT differs from the first answer: ${mismatch.key.replace('\u0000', ' ')}: ${JSON.stringify(mismatch.hit).slice(0, 200)} vs ${JSON.stringify(mismatch.first).slice(0, 200)}`);
  if (m.check.mismatches.length > 0) failures.push(`${m.check.mismatches.length} cache hits differ from the first answer`);
  const costRatio = total.cost / total.direct;
  console.log(`target (minnow ≤ ${TARGET_RATIO * 100}% of direct): ${costRatio <= TARGET_RATIO ? 'met' : 'NOT met'}`);
  for (const warning of warnings) console.log(`WARNING: ${warning}`);
  for (const failure of failures) console.log(`FAILED: ${failure}`);
  if (failures.length > 0) process.exitCode = 1;
  console.log(`cost ratio: ${costRatio.toFixed(3)}`);
}

main()
  .catch((error) => {
    console.error(`bench:cost: ${error.stack ?? error.message}`);
    process.exitCode = 1;
  })
  .finally(shutdown);
