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
const HOSTILE_UNITS = ['http://a.co', 'http://', '#', '!?', '#ab', '!', 'www.a.co/', '$1 ', 'a,', 'http://a.b.c/', '3rd', ':)', '1a', 'C++'];
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

/** The local providers, called as the pipeline calls them. */
const ENTRY = `
import { localSentiment } from './src/tasks/sentiment/providers';
import { localEntities } from './src/tasks/entities/providers';
import { localClassify } from './src/tasks/classify/providers';
import { localLanguage } from './src/tasks/language/providers';
import { localEmbed } from './src/tasks/embed/providers';
import { localSimilarity } from './src/tasks/similarity/providers';
import { localRerank } from './src/tasks/rerank/providers';
import { localAnswer } from './src/tasks/answer/providers';
import { localModerate } from './src/tasks/moderate/providers';
import { localSummarize } from './src/tasks/summarize/providers';
const list = (text: string | string[]) => (Array.isArray(text) ? text : [text]);
export function run(env: unknown, task: string, body: any): Promise<unknown> {
  const call = (provider: any, items: unknown[], options: unknown = {}) => provider.run({ env, items, options });
  switch (task) {
    case 'sentiment': return call(localSentiment, list(body.text));
    case 'entities': return call(localEntities, list(body.text), {});
    case 'classify': return call(localClassify, list(body.text), { labels: body.labels, multi_label: false });
    case 'language': return call(localLanguage, list(body.text));
    case 'embed': return call(localEmbed, list(body.text));
    case 'similarity': return call(localSimilarity, [{ source: body.source, targets: body.targets }]);
    case 'rerank': return call(localRerank, [{ query: body.query, documents: body.documents }], { top_k: body.documents.length });
    case 'answer': return call(localAnswer, [{ question: body.question, context: body.context }]);
    case 'moderate': return call(localModerate, list(body.text));
    case 'summarize': return call(localSummarize, list(body.text), { max_words: body.max_words });
  }
  throw new Error('unknown task ' + task);
}`;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** `send(task, body)` answers one request; returns the figures per task. */
async function measure(send, runs) {
  const rows = [];
  for (const task of Object.keys(TASKS).filter((name) => only.length === 0 || only.includes(name))) {
    const spec = TASKS[task];
    const time = async (texts, count) => {
      const samples = [];
      for (let run = 0; run < count; run++) {
        const started = performance.now();
        await send(task, spec.body(texts));
        samples.push(performance.now() - started);
      }
      return median(samples);
    };
    await time(['Warm the models up, please.'], 2);
    const plain = await time(['The support team was friendly and refunded the fee.'], runs.plain);
    const largest = await time(batch(ORDINARY, spec.maxChars, spec.maxItems), runs.large);
    let hostile = { ms: 0, shape: '' };
    for (const unit of HOSTILE_UNITS) {
      for (const chars of [spec.maxChars, ...HOSTILE_SIZES.filter((size) => size < spec.maxChars)]) {
        const texts = batch(unit, chars, spec.maxItems);
        const ms = await time(texts, runs.large);
        if (ms > hostile.ms) hostile = { ms, shape: `${texts.length} × ${chars.toLocaleString('en')} of ${JSON.stringify(unit)}` };
      }
    }
    rows.push({ task, plain, largest, hostile });
    console.error(`${task}: ${plain.toFixed(2)} / ${largest.toFixed(1)} / ${hostile.ms.toFixed(1)} ms (${hostile.shape})`);
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
    const { run } = await import(pathToFileURL(outfile).href);
    const vectors = readFileSync('assets/word-vectors.bin');
    const env = { ASSETS: { fetch: async () => new Response(vectors) } };
    return await measure((task, body) => run(env, task, body), { plain: 21, large: 3 });
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
console.log(`\n${server ? 'Whole requests through wrangler dev --local' : 'The local provider called directly (Node)'}, median milliseconds:\n`);
console.log('| task | one sentence | largest ordinary request | slowest hostile request | its shape |');
console.log('|---|---:|---:|---:|---|');
for (const { task, plain, largest, hostile } of rows) {
  console.log(`| ${task} | ${plain.toFixed(2)} | ${largest.toFixed(1)} | ${hostile.ms.toFixed(1)} | ${hostile.shape} |`);
}
