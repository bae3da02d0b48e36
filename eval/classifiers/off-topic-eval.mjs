#!/usr/bin/env node
// Does a trained classifier know when a text is none of its business? Trains the support-ticket
// classifier with the real trainer (src/lib/text-classifier, bundled with esbuild, the 100,000-word
// vectors as the API trains new versions) and, for each model, scores the off-topic texts of
// off-topic.mjs and in-domain tickets twice: "before" is the same model with its label centroids
// removed (so the familiarity check is knowsAnyWord alone, as models trained before answer),
// "after" is carriesEvidence (src/lib/text-classifier/familiarity.ts). A capped text's scores are scaled to at most 0.2
// (src/tasks/classify/trained.ts), its ranking kept, so top-1 accuracy cannot change; what does is
// which answers stay local at the 0.9 cascade threshold.
//   node eval/classifiers/off-topic-eval.mjs --split dev    (what the check was designed on)
//   node eval/classifiers/off-topic-eval.mjs --split test   (run once, at the end)
// dev: models on tickets 1–25 and 1–40 of each intent; in-domain = the rest of the 50-ticket pool
// (26–50, 41–50), as eval/classifiers/dev.mjs; off-topic = its dev half (also on a 1–50 model).
// test: models on tickets 1–25 and 1–50 (as curve.mjs trains them); in-domain = tickets 51–60 and
// held-out.mjs (curve.mjs's test split); off-topic = its test half.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intents } from './support-tickets.mjs';
import { intents as heldOut } from './held-out.mjs';
import { offTopic } from './off-topic.mjs';

const argv = process.argv.slice(2);
const split = argv[argv.indexOf('--split') + 1];
if (argv.indexOf('--split') === -1 || !['dev', 'test'].includes(split)) throw new Error('usage: off-topic-eval.mjs --split dev|test');
/** TRAINED_CASCADE_THRESHOLD and UNFAMILIAR_TEXT_SCORE_CAP in src/tasks/classify/trained.ts. */
const THRESHOLD = 0.9;
const CAP = 0.2;

const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'minnow-clf-ood-'));
const outfile = join(dir, 'trainer.mjs');
await build({
  stdin: { contents: "export * from './src/lib/text-classifier/train';\nexport * from './src/lib/text-classifier/model';\nexport * from './src/lib/text-classifier/familiarity';\nexport { localEmbedder } from './src/providers/local/semantic';", resolveDir: root, loader: 'ts' },
  bundle: true, format: 'esm', platform: 'neutral', outfile, logLevel: 'warning',
});
const T = await import(outfile);
rmSync(dir, { recursive: true, force: true });
const assets = { fetch: async (url) => new Response(readFileSync(join(root, 'assets', new URL(url).pathname))) };
const embedder = await T.localEmbedder({ ASSETS: assets }, 'word-vectors-100k.bin');

const tickets = (source, from, to) => Object.entries(source).flatMap(([label, texts]) => texts.slice(from, to).map((text) => ({ text, label })));
const runs = split === 'dev'
  ? [{ n: 25, inDomain: tickets(intents, 25, 50) }, { n: 40, inDomain: tickets(intents, 40, 50) }, { n: 50, inDomain: [] }]
  : [{ n: 25 }, { n: 50 }].map((run) => ({ ...run, inDomain: [...tickets(intents, 50, 60), ...tickets(heldOut, 0, Infinity)] }));
const offTopicTexts = offTopic.filter((o) => o.split === split);
const pct = (part, whole) => (whole === 0 ? '—' : `${((part / whole) * 100).toFixed(1)}%`);

function answer(model, text, dense) {
  const p = T.predict(model, text, dense);
  const top = Math.max(...p);
  const capped = !T.carriesEvidence(model, text, dense);
  return { label: model.labels[p.indexOf(top)], top: capped ? Math.min(top, CAP) : top, capped };
}

console.log(`## Off-topic texts vs the familiarity check: ${split} split (eval/classifiers/off-topic-eval.mjs, ${new Date().toISOString().slice(0, 16)}Z)`);
console.log(`${offTopicTexts.length} off-topic texts. before: knowsAnyWord (any word of the examples); after: carriesEvidence (also the nearest label centroid at least the model's ${T.FAMILIAR_PERCENTILE}st percentile of its examples' own similarities).\n`);
console.log('| examples per label | off-topic ≥ 0.5: before → after | off-topic ≥ 0.8: before → after | in-domain tickets | accuracy (unchanged by a cap) | in-domain capped: before → after | kept local at 0.9: before → after | of them wrong: before → after |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
const misses = [];
for (const { n, inDomain } of runs) {
  const train = tickets(intents, 0, n);
  const { model: trained } = T.trainClassifier(train, embedder.embed(train.map((e) => e.text)));
  const after = T.deserializeModel(JSON.parse(JSON.stringify(T.serializeModel(trained))));
  const before = { ...after, centroids: undefined };
  const offDense = embedder.embed(offTopicTexts.map((o) => o.text));
  const inDense = embedder.embed(inDomain.map((t) => t.text));
  const row = (model) => {
    const off = offTopicTexts.map((o, i) => ({ ...o, ...answer(model, o.text, offDense[i]) }));
    const ind = inDomain.map((t, i) => ({ ...t, ...answer(model, t.text, inDense[i]) }));
    const kept = ind.filter((a) => a.top >= THRESHOLD);
    return {
      off5: off.filter((a) => a.top >= 0.5).length, off8: off.filter((a) => a.top >= 0.8).length,
      capped: ind.filter((a) => a.capped).length,
      kept: kept.length, keptWrong: kept.filter((a) => a.label !== a.expected).length, off, ind,
    };
  };
  // `label` of an in-domain ticket is its expected intent; keep it apart from the predicted label.
  inDomain.forEach((t) => (t.expected = t.label));
  const [b, a] = [row(before), row(after)];
  const accuracy = a.ind.filter((x) => x.label === x.expected).length;
  console.log(`| ${n} | ${pct(b.off5, offTopicTexts.length)} (${b.off5}) → ${pct(a.off5, offTopicTexts.length)} (${a.off5}) | ${pct(b.off8, offTopicTexts.length)} (${b.off8}) → ${pct(a.off8, offTopicTexts.length)} (${a.off8}) | ${inDomain.length} | ${pct(accuracy, inDomain.length)} | ${b.capped} → ${a.capped} (${pct(a.capped, inDomain.length)}) | ${b.kept} → ${a.kept} | ${b.keptWrong} → ${a.keptWrong} |`);
  misses.push(`${n}/label, off-topic still ≥ 0.5: ${a.off.filter((x) => x.top >= 0.5).map((x) => `"${x.text}" (${x.label} ${x.top.toFixed(2)})`).join('; ') || 'none'}`);
  if (inDomain.length > 0) misses.push(`${n}/label, in-domain capped: ${a.ind.filter((x) => x.capped).map((x) => `"${x.text}"`).join('; ') || 'none'}`);
}
console.log('');
misses.forEach((line) => console.log(line));

// Cost on every classify call (cache hits included): the check on a 2,000-character text, and the
// text's embedding, which a cache hit computes for it alone (a miss has it from scoring).
const long = offTopic.map((o) => o.text).join(' ').slice(0, 2_000);
const { model: timed } = T.trainClassifier(tickets(intents, 0, 50), embedder.embed(tickets(intents, 0, 50).map((e) => e.text)));
const [vector] = embedder.embed([long]);
const time = (run, rounds = 2_000) => {
  for (let i = 0; i < 200; i++) run();
  const started = performance.now();
  for (let i = 0; i < rounds; i++) run();
  return (((performance.now() - started) / rounds) * 1000).toFixed(1);
};
console.log(`\nOn a ${long.length}-character text (Node ${process.version}, mean of 2,000): carriesEvidence ${time(() => T.carriesEvidence(timed, long, vector))} µs, of which knowsAnyWord ${time(() => T.knowsAnyWord(timed, long))} µs; embedding it ${time(() => embedder.embed([long]))} µs`);
