#!/usr/bin/env node
// `node eval/similarity-contrast.mjs [--split dev|test] [--misses] [--fires]`: local similarity's
// contrast detector (src/tasks/similarity/contrast.ts) in Node, bundled with esbuild, on
//  - the hard set's split (eval/tasks-hard/similarity.mjs; dev by default — tune on it only): the
//    paraphrase above the contrast, before (plain cosine) and after (contrasts lowered), and how
//    often the detector fires on the contrasts and, wrongly, on the paraphrases;
//  - the ordinary set (eval/tasks/similarity.mjs): recall@1 before and after, fires on its
//    paraphrases (false) and on its same-topic distractors;
//  - the semantic fixture's 30 paraphrase pairs (test/fixtures/semantic-pairs.json): false fires.
// The served figures come from the real server: `npm run eval:local -- --set hard similarity`.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const split = argv.includes('--split') ? argv[argv.indexOf('--split') + 1] : 'dev';
const root = new URL('../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'minnow-contrast-'));
try {
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry,
    `export * from '${root}src/tasks/similarity/contrast.ts';\n` +
    `export { localEmbedder } from '${root}src/providers/local/semantic/index.ts';\n` +
    `export { cosineSimilarity, roundScore } from '${root}src/lib/vectors.ts';\n`);
  const outfile = join(dir, 'contrast.mjs');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error' });
  const m = await import(outfile);
  const bytes = readFileSync(join(root, 'assets/word-vectors.bin'));
  const embedder = await m.localEmbedder({ ASSETS: { fetch: async () => new Response(bytes) } });
  // What the local provider answers: rounded cosines (providers.ts), then contrasts lowered.
  const cosines = (source, targets) => {
    const [s, ...ts] = embedder.embed([source, ...targets]);
    return ts.map((t) => m.roundScore(m.cosineSimilarity(s, t)));
  };
  const answer = (source, targets) => m.lowerContrasts(source, targets, cosines(source, targets), embedder);
  const cue = (source, target) => m.contrastCue(source, target, embedder);

  const { cases: hard } = await import('./tasks-hard/similarity.mjs');
  const rows = hard.filter((c) => c.split === split);
  let before = 0;
  let after = 0;
  let contrastFires = 0;
  const paraphraseFires = [];
  const misses = [];
  for (const { request: { source, targets }, expected } of rows) {
    const plain = cosines(source, targets);
    const lowered = answer(source, targets);
    if (plain[expected] > plain[1 - expected]) before++;
    if (lowered[expected] > lowered[1 - expected]) after++;
    else misses.push(`${source} | paraphrase ${targets[expected]} ${lowered[expected]} | contrast ${targets[1 - expected]} ${lowered[1 - expected]}`);
    if (cue(source, targets[1 - expected])) contrastFires++;
    const wrong = cue(source, targets[expected]);
    if (wrong) paraphraseFires.push(`${source} | ${targets[expected]} (${wrong})`);
  }
  console.log(`hard ${split}: paraphrase above contrast ${before}/${rows.length} → ${after}/${rows.length}; fires on contrasts ${contrastFires}/${rows.length}, on paraphrases ${paraphraseFires.length}/${rows.length}`);

  const { cases: ordinary } = await import('./tasks/similarity.mjs');
  const top = (scores) => scores.indexOf(Math.max(...scores));
  let ordinaryBefore = 0;
  let ordinaryAfter = 0;
  let distractors = 0;
  const distractorFires = [];
  const ordinaryParaphraseFires = [];
  for (const { request: { source, targets }, expected } of ordinary) {
    if (top(cosines(source, targets)) === expected) ordinaryBefore++;
    if (top(answer(source, targets)) === expected) ordinaryAfter++;
    targets.forEach((target, index) => {
      const fired = cue(source, target);
      if (index !== expected) distractors++;
      if (fired) (index === expected ? ordinaryParaphraseFires : distractorFires).push(`${source} | ${target} (${fired})`);
    });
  }
  console.log(`ordinary: recall@1 ${ordinaryBefore}/${ordinary.length} → ${ordinaryAfter}/${ordinary.length}; fires on paraphrases ${ordinaryParaphraseFires.length}/${ordinary.length}, on distractors ${distractorFires.length}/${distractors}`);

  const { pairs } = JSON.parse(readFileSync(join(root, 'test/fixtures/semantic-pairs.json'), 'utf8'));
  const pairFires = pairs.filter(([a, b]) => cue(a, b) || cue(b, a)).map(([a, b]) => `${a} | ${b} (${cue(a, b) ?? cue(b, a)})`);
  console.log(`semantic fixture: fires on paraphrase pairs ${pairFires.length}/${pairs.length}`);

  if (argv.includes('--misses')) for (const line of misses) console.log(`  miss: ${line}`);
  if (argv.includes('--fires')) {
    for (const line of paraphraseFires) console.log(`  hard paraphrase fired: ${line}`);
    for (const line of ordinaryParaphraseFires) console.log(`  ordinary paraphrase fired: ${line}`);
    for (const line of distractorFires) console.log(`  ordinary distractor fired: ${line}`);
    for (const line of pairFires) console.log(`  fixture pair fired: ${line}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
