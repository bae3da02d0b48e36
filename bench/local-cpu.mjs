#!/usr/bin/env node
// `npm run bench:cpu`: how long the embedded local tier works on one request (docs/security.md#bounded-work).
//
// For every local-tier task it times
//   one sentence — the task's one-sentence request (the yardstick),
//   largest      — the largest legal request of ordinary English (most items × longest text that
//                  fit the 1 MiB body limit),
//   hostile      — the slowest of the shapes that used to cost wink-nlp quadratic or cubic time (a
//                  repeated short URL, runs of `#`, `!?`, `#ab`, `$1`, …), each as many texts as fit,
//                  at the longest legal length and at 800, 1,600 and 4,000 characters (short texts
//                  make the biggest batches).
//
// Default: the task's local provider called directly in Node (the model's own work, bundled from
// src/ with esbuild; medians of several runs). `--server`: whole requests through `wrangler dev
// --local` on one keep-alive connection with `Cache-Control: no-cache`, which adds parsing,
// validation, hashing, cache fill and the dev proxy (~1 ms) to every figure.
// `node bench/local-cpu.mjs [--server] [task …]`.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTenant, startLocalServer } from '../scripts/lib/local-server.mjs';

const server = process.argv.includes('--server');
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const BODY_BYTES = 1024 * 1024 - 4096;

const ORDINARY =
  'The delivery arrived two days late on March 3rd, but the support team was friendly and refunded the $12.50 shipping fee. ' +
  'I would order again, although the packaging could be better! Call me at 10:30 am or mail help@example.com. ';
/** Shapes that cost wink-nlp's tokenizer super-linear time when nothing bounds them. */
const HOSTILE_UNITS = ['http://a.co', 'http://', '#', '!?', '#ab', '!', 'www.a.co/', '$1 ', 'a,', 'http://a.b.c/', '3rd', ':)', '1a', 'C++', 'a@b ', 'a@b.co '];
const HOSTILE_SIZES = [800, 1_600, 4_000];

const fill = (unit, chars) => unit.repeat(Math.ceil(chars / unit.length)).slice(0, chars);
/** As many distinct texts of `chars` characters as the task takes and the body limit allows. */
function batch(unit, chars, maxItems) {
  const text = fill(unit, chars);
  const count = Math.max(1, Math.min(maxItems, Math.floor(BODY_BYTES / (Buffer.byteLength(JSON.stringify(text)) + 8))));
  return Array.from({ length: count }, (_, index) => `${index} ${text}`.slice(0, chars));
}

const LABELS = ['billing', 'shipping', 'account access', 'complaint', 'praise'];
/** Each local-tier task: its limits and its request body for a list of texts. */
const TASKS = {
  sentiment: { maxChars: 20_000, maxItems: 100, body: (texts) => ({ text: texts }) },
  entities: { maxChars: 2_000, maxItems: 100, body: (texts) => ({ text: texts }) },
  classify: { maxChars: 2_000, maxItems: 100, body: (texts) => ({ text: texts, labels: LABELS }) },
  language: { maxChars: 20_000, maxItems: 100, body: (texts) => ({ text: texts }) },
  embed: { maxChars: 8_192, maxItems: 100, body: (texts) => ({ text: texts }) },
  similarity: { maxChars: 8_192, maxItems: 100, body: (texts) => ({ source: texts[0], targets: texts }) },
  rerank: { maxChars: 8_192, maxItems: 100, body: (texts) => ({ query: texts[0].slice(0, 500), documents: texts }) },
  answer: { maxChars: 10_000, maxItems: 1, body: (texts) => ({ question: 'When was the fee refunded?', context: texts[0] }) },
  moderate: { maxChars: 8_000, maxItems: 25, body: (texts) => ({ text: texts }) },
  summarize: { maxChars: 20_000, maxItems: 10, body: (texts) => ({ text: texts, max_words: 100 }) },
};

/**
 * The local providers, called as the pipeline calls them: the request validated by the task's
 * schema (`prepare`, not timed: the route does it before the pipeline), then its items and its
 * options — which share the task's request budget among the texts (src/tasks/local-window.ts).
 */
const ENTRY = `
import { TASKS } from './src/tasks/registry';
export const prepare = (name: string, body: unknown) => (TASKS as any)[name].api.request.parse(body);
export function run(env: unknown, name: string, input: unknown): Promise<unknown> {
  const task = (TASKS as any)[name];
  const local = task.providers.find((provider: { provider: string }) => provider.provider === 'local');
  return local.run({ env, items: task.items(input), options: task.options(input) });
}`;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** `send(task, body)` answers one request; returns the figures per task. */
async function measure(send, runs, prepare = (task, body) => body) {
  const rows = [];
  for (const task of Object.keys(TASKS).filter((name) => only.length === 0 || only.includes(name))) {
    const spec = TASKS[task];
    // Wall time, and (called directly) this process's CPU time: the figure Workers' CPU limits count.
    const time = async (texts, count) => {
      const samples = [];
      const cpu = [];
      const body = prepare(task, spec.body(texts));
      for (let run = 0; run < count; run++) {
        const started = performance.now();
        const startedCpu = process.cpuUsage();
        await send(task, body);
        const used = process.cpuUsage(startedCpu);
        samples.push(performance.now() - started);
        cpu.push((used.user + used.system) / 1000);
      }
      return { ms: median(samples), cpu: median(cpu) };
    };
    await time(['Warm the models up, please.'], 2);
    const plain = await time(['The support team was friendly and refunded the fee.'], runs.plain);
    const largest = await time(batch(ORDINARY, spec.maxChars, spec.maxItems), runs.large);
    let hostile = { ms: 0, cpu: 0, shape: '' };
    for (const unit of HOSTILE_UNITS) {
      for (const chars of [spec.maxChars, ...HOSTILE_SIZES.filter((size) => size < spec.maxChars)]) {
        const texts = batch(unit, chars, spec.maxItems);
        const figures = await time(texts, runs.large);
        // The slowest by CPU time where it is measured (a wall-time sample can be another process's turn).
        if (server ? figures.ms > hostile.ms : figures.cpu > hostile.cpu) hostile = { ...figures, shape: `${texts.length} × ${chars.toLocaleString('en')} of ${JSON.stringify(unit)}` };
      }
    }
    rows.push({ task, plain, largest, hostile });
    console.error(`${task}: ${plain.ms.toFixed(2)} / ${largest.ms.toFixed(1)} (cpu ${largest.cpu.toFixed(1)}) / ${hostile.ms.toFixed(1)} (cpu ${hostile.cpu.toFixed(1)}) ms (${hostile.shape})`);
  }
  return rows;
}

async function direct() {
  const dir = mkdtempSync(join(tmpdir(), 'minnow-local-cpu-'));
  try {
    const outfile = join(dir, 'local-tier.mjs');
    await build({
      stdin: { contents: ENTRY, resolveDir: process.cwd(), loader: 'ts', sourcefile: 'local-tier-entry.ts' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile,
      logLevel: 'warning',
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    });
    const { prepare, run } = await import(pathToFileURL(outfile).href);
    const vectors = readFileSync('assets/word-vectors.bin');
    const env = { ASSETS: { fetch: async () => new Response(vectors) } };
    return await measure((task, input) => run(env, task, input), { plain: 21, large: 5 }, prepare);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function throughServer() {
  const local = await startLocalServer({ stateDir: '.wrangler/bench-cpu-state' });
  try {
    const tenant = await createTenant(local, 'bench-cpu', Object.fromEntries(Object.keys(TASKS).map((task) => [task, { providers: ['local'] }])));
    const headers = { ...tenant.auth, 'Cache-Control': 'no-cache' };
    return await measure(async (task, body) => {
      const response = await local.request('POST', `/v1/${task}`, headers, body);
      if (response.status !== 200) throw new Error(`${task}: ${response.status} ${response.text.slice(0, 200)}`);
    }, { plain: 5, large: 1 });
  } finally {
    await local.stop();
  }
}

const rows = await (server ? throughServer() : direct());
console.log(`\n${server ? 'Whole requests through wrangler dev --local' : 'The local provider called directly (Node)'}, median milliseconds${server ? '' : ' (wall / CPU)'}:\n`);
console.log('| task | one sentence | largest ordinary request | slowest hostile request | its shape |');
console.log('|---|---:|---:|---:|---|');
// Through the server the CPU is workerd's, not this process's: wall time only.
const figure = ({ ms, cpu }, digits) => (server ? ms.toFixed(digits) : `${ms.toFixed(digits)} / ${cpu.toFixed(digits)}`);
for (const { task, plain, largest, hostile } of rows) {
  console.log(`| ${task} | ${figure(plain, 2)} | ${figure(largest, 1)} | ${figure(hostile, 1)} | ${hostile.shape} |`);
}
console.log(`\nload average ${(await import('node:os')).loadavg().map((load) => load.toFixed(2)).join(', ')}`);
