#!/usr/bin/env node
// The development protocol for the tenant-trained classifier (issue 14 item 5): how features,
// regularisation and model were chosen without looking at the test tickets. It uses only the
// training pool (tickets 1–50 of each intent in support-tickets.mjs): each of SPLITS seeded splits
// deals each intent's 50 tickets into 25 to train on and 25 to score (a dev split), trains with
// the real trainer (src/lib/text-classifier, bundled with esbuild) on the local word vectors, and
// reports mean dev accuracy and the confidently-wrong rate at 0.8. Tickets 51–60 and held-out.mjs
// (the test split of eval/classifiers/curve.mjs) are never read here.
//   node eval/classifiers/dev.mjs [splits=12] [per-label=25] [vectors=word-vectors-100k.bin]
// (vectors: the word-vector artifact in assets/; the classifiers' own by default, word-vectors.bin
// for the shared 30,000-word one).
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intents } from './support-tickets.mjs';
import { mulberry32 } from '../../scripts/lib/mulberry32.mjs';

const SPLITS = Number(process.argv[2] ?? 12);
const PER_LABEL = Number(process.argv[3] ?? 25);
const VECTORS = process.argv[4] ?? 'word-vectors-100k.bin';
const POOL = 50;
const THRESHOLD = 0.8;

const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'minnow-clf-dev-'));
const outfile = join(dir, 'trainer.mjs');
await build({
  stdin: { contents: "export * from './src/lib/text-classifier/train';\nexport * from './src/lib/text-classifier/model';\nexport { localEmbedder } from './src/providers/local/semantic';", resolveDir: root, loader: 'ts' },
  bundle: true, format: 'esm', platform: 'neutral', outfile, logLevel: 'warning',
});
const trainer = await import(outfile);
rmSync(dir, { recursive: true, force: true });
const assets = { fetch: async (url) => new Response(readFileSync(join(root, 'assets', new URL(url).pathname))) };
const embedder = await trainer.localEmbedder({ ASSETS: assets }, VECTORS);

const shuffled = (items, next) => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};

let right = 0, total = 0, kept = 0, keptWrong = 0, cv = 0, ms = 0, logLoss = 0;
const perSplit = [];
for (let split = 0; split < SPLITS; split++) {
  const next = mulberry32(1000 + split);
  const train = [], dev = [];
  for (const [label, texts] of Object.entries(intents)) {
    const pool = split === 0 ? texts.slice(0, POOL) : shuffled(texts.slice(0, POOL), next);
    pool.slice(0, PER_LABEL).forEach((text) => train.push({ text, label }));
    pool.slice(PER_LABEL).forEach((text) => dev.push({ text, label }));
  }
  const started = performance.now();
  const { model, metrics } = trainer.trainClassifier(train, embedder.embed(train.map((e) => e.text)));
  ms += performance.now() - started;
  cv += metrics.cross_validated_accuracy;
  const dense = embedder.embed(dev.map((e) => e.text));
  let splitRight = 0;
  dev.forEach(({ text, label }, i) => {
    const p = trainer.predict(model, text, dense[i]);
    const top = p.indexOf(Math.max(...p));
    const ok = model.labels[top] === label;
    logLoss -= Math.log(Math.max(1e-12, p[model.labels.indexOf(label)]));
    splitRight += ok;
    total++;
    if (p[top] >= THRESHOLD) { kept++; keptWrong += !ok; }
  });
  right += splitRight;
  perSplit.push(((splitRight / dev.length) * 100).toFixed(1));
}
const pct = (a, b) => `${((a / b) * 100).toFixed(1)}%`;
console.log(`${VECTORS}, ${PER_LABEL} per label, ${SPLITS} splits: dev accuracy ${pct(right, total)} (splits: ${perSplit.join(' ')}) | CV ${pct(cv, SPLITS)} | kept ${pct(kept, total)} | confidently wrong ${keptWrong} (${pct(keptWrong, kept)}) | log-loss ${(logLoss / total).toFixed(3)} | training ${(ms / SPLITS).toFixed(0)} ms/split`);
