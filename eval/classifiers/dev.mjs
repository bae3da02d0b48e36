#!/usr/bin/env node
// The development protocol for the tenant-trained classifier (issue 14 item 5): how features,
// regularisation and model were chosen without looking at the test tickets. It uses only the
// training pool (tickets 1–50 of each intent in support-tickets.mjs): each of SPLITS seeded splits
// deals each intent's 50 tickets into 25 to train on and 25 to score (a dev split), trains with
// the real trainer (src/lib/text-classifier, bundled with esbuild) on the local word vectors, and
// reports mean dev accuracy and the confidently-wrong rate at the default cascade threshold; then,
// per threshold 0.80 … 0.95, the share of dev answers kept local and the share of those wrong (how
// TRAINED_CASCADE_THRESHOLD was chosen), and a reliability table: per confidence band, the mean
// score claimed beside how often the top label was right (is the calibration itself off?).
// Tickets 51–60 and held-out.mjs (the test split of eval/classifiers/curve.mjs) are never read here.
// The pool is 50 per intent, so per-label is at most 49 (40 leaves 10 per intent to score).
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
/** TRAINED_CASCADE_THRESHOLD in src/tasks/classify/trained.ts. */
const THRESHOLD = 0.9;
/** The thresholds swept: 0.80, 0.81 … 0.99. */
const SWEEP = Array.from({ length: 20 }, (_, i) => Math.round((0.8 + i / 100) * 100) / 100);
const BANDS = [0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0001];
if (!(PER_LABEL >= 3 && PER_LABEL < POOL)) throw new Error(`per-label must be 3–${POOL - 1}: the rest of each intent's ${POOL} pool tickets is the dev split`);

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
/** Every dev answer of every split: its top score and whether the top label was right. */
const answers = [];
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
    answers.push({ confidence: p[top], ok });
  });
  right += splitRight;
  perSplit.push(((splitRight / dev.length) * 100).toFixed(1));
}
const pct = (a, b) => `${((a / b) * 100).toFixed(1)}%`;
console.log(`${VECTORS}, ${PER_LABEL} per label, ${SPLITS} splits: dev accuracy ${pct(right, total)} (splits: ${perSplit.join(' ')}) | CV ${pct(cv, SPLITS)} | kept at ${THRESHOLD} ${pct(kept, total)} | confidently wrong ${keptWrong} (${pct(keptWrong, kept)}) | log-loss ${(logLoss / total).toFixed(3)} | training ${(ms / SPLITS).toFixed(0)} ms/split`);

console.log(`\n| threshold | kept local (of ${total}) | escalated | confidently wrong (of kept) |`);
console.log('|---:|---:|---:|---:|');
for (const threshold of SWEEP) {
  const keptHere = answers.filter((a) => a.confidence >= threshold);
  const wrong = keptHere.filter((a) => !a.ok).length;
  console.log(`| ${threshold.toFixed(2)} | ${keptHere.length} (${pct(keptHere.length, total)}) | ${pct(total - keptHere.length, total)} | ${wrong} (${pct(wrong, keptHere.length)}) |`);
}
console.log('\n| confidence | answers | mean score | right |');
console.log('|---|---:|---:|---:|');
for (let band = 0; band < BANDS.length - 1; band++) {
  const inBand = answers.filter((a) => a.confidence >= BANDS[band] && a.confidence < BANDS[band + 1]);
  if (inBand.length === 0) continue;
  const mean = inBand.reduce((sum, a) => sum + a.confidence, 0) / inBand.length;
  console.log(`| ${BANDS[band].toFixed(2)}–${Math.min(1, BANDS[band + 1]).toFixed(2)} | ${inBand.length} | ${(mean * 100).toFixed(1)}% | ${pct(inBand.filter((a) => a.ok).length, inBand.length)} |`);
}
const claimed = answers.reduce((sum, a) => sum + a.confidence, 0) / total;
console.log(`\nMean top score ${(claimed * 100).toFixed(1)}% vs accuracy ${pct(right, total)} (a calibrated model claims what it gets right).`);
