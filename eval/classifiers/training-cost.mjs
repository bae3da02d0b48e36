#!/usr/bin/env node
// How much CPU training a tenant classifier takes at the API's bounds (≤ 5,000 examples, ≤ 50
// labels), in Node on this machine: `node eval/classifiers/training-cost.mjs`. The trainer
// (src/lib/text-classifier) is bundled with esbuild and run on synthetic sets of support-ticket
// length (12–40 words drawn from the ticket vocabulary) with random 100-dimensional dense vectors
// standing in for the word-vector embeddings (same cost). Prints milliseconds and stored model size.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intents } from './support-tickets.mjs';

const dir = mkdtempSync(join(tmpdir(), 'minnow-clf-'));
const outfile = join(dir, 'trainer.mjs');
await build({ stdin: { contents: "export * from './src/lib/text-classifier/train';\nexport * from './src/lib/text-classifier/model';", resolveDir: new URL('../..', import.meta.url).pathname, loader: 'ts' }, bundle: true, format: 'esm', outfile, logLevel: 'warning' });
const { trainClassifier, serializeModel } = await import(outfile);
rmSync(dir, { recursive: true, force: true });

const words = Object.values(intents).flat().join(' ').split(/\s+/);
let seed = 7;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
console.log("| labels | examples | training ms (k-fold CV; the model is the folds' average) | folds | stored model (JSON bytes) |");
console.log('|---:|---:|---:|---:|---:|');
for (const [labels, count] of [[8, 200], [8, 500], [8, 1000], [8, 5000], [50, 5000]]) {
  const examples = Array.from({ length: count }, (_, i) => ({ text: `${Array.from({ length: 12 + Math.floor(random() * 28) }, () => words[Math.floor(random() * words.length)]).join(' ')} ${i}`, label: `label-${i % labels}` }));
  const dense = examples.map(() => Float32Array.from({ length: 100 }, () => random() - 0.5));
  const started = performance.now();
  const { model, metrics } = trainClassifier(examples, dense);
  const elapsed = performance.now() - started;
  console.log(`| ${labels} | ${count} | ${elapsed.toFixed(0)} | ${metrics.folds} | ${JSON.stringify(serializeModel(model)).length.toLocaleString('en')} |`);
}
