#!/usr/bin/env node
// `node eval/calibrate.mjs classify`: fits the logistic model of "the top label is right"
// (LOCAL_CORRECTNESS in src/tasks/classify/providers.ts) on the hard set's dev split, and prints
// its reliability on dev and test.
//
// `node eval/calibrate.mjs sentiment|moderate [--split dev|test]`: how the local tier's evidence buckets did
// on a split of the hard set — the counts a task's calibration table is copied from (dev only;
// the test split is for reporting), together with the ordinary set eval/tasks/<task>.mjs. Runs the task's local code in Node (bundled with esbuild),
// not through the server: the bucket is internal, the envelope only shows its score.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [task = 'sentiment', ...rest] = process.argv.slice(2);
const split = rest.includes('--split') ? rest[rest.indexOf('--split') + 1] : 'dev';
const entries = { sentiment: 'src/tasks/sentiment/local-sentiment.ts', moderate: 'src/tasks/moderate/local-moderation.ts', classify: 'eval/calibrate-classify-entry.ts' };
if (!entries[task]) throw new Error(`no calibration for ${task}; one of ${Object.keys(entries).join(', ')}`);

const dir = mkdtempSync(join(tmpdir(), 'minnow-calibrate-'));
try {
  const outfile = join(dir, 'module.mjs');
  await build({ entryPoints: [entries[task]], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error' });
  const module = await import(outfile);
  if (task === 'classify') {
    await fitClassify(module);
    process.exit(0);
  }
  const { cases } = await import(`./tasks-hard/${task}.mjs`);
  // Calibration data: the hard set's split plus the ordinary set (eval/tasks/), so that the scores
  // reflect ordinary traffic as well as the hard cases. Reporting uses the hard test split alone.
  const ordinary = split === 'dev' ? (await import(`./tasks/${task}.mjs`)).cases : [];
  const byBucket = new Map();
  for (const testCase of [...cases.filter((c) => c.split === split), ...ordinary]) {
    // Sentiment reads a label; moderation a verdict, `expected` being `flagged` (hard set) or `{flagged}` (ordinary set).
    const reading = task === 'moderate' ? moderationReading(module, testCase) : module.readSentiment(testCase.request.text);
    const expected = task === 'moderate' ? (testCase.expected.flagged ?? testCase.expected) : testCase.expected;
    const entry = byBucket.get(reading.bucket) ?? { right: 0, answers: 0, wrong: [] };
    entry.answers++;
    if (reading.label === expected) entry.right++;
    else entry.wrong.push(`${testCase.request.text} (${reading.label}, want ${expected})`);
    byBucket.set(reading.bucket, entry);
  }
  if (task === 'moderate') {
    reportOrdinaryText(module, cases.filter((c) => c.split === split), split);
    reportSupportQuestions(module);
  }
  for (const [bucket, { right, answers }] of byBucket) console.log(`  '${bucket}': { right: ${right}, answers: ${answers} },  // ${((right + 1) / (answers + 2)).toFixed(3)}`);
  if (rest.includes('--wrong')) for (const [bucket, { wrong }] of byBucket) for (const text of wrong) console.log(`${bucket}: ${text}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Moderation on the split's ordinary texts (those that must not be flagged, "kill the process",
 * "this bloody film"): how many it flags (false positives), and how many the default cascade
 * threshold would escalate (a correct answer paid for twice) — the cost side of the confidence.
 */
function reportOrdinaryText(module, rows, split) {
  const ordinary = rows.filter((c) => c.expected === false);
  const read = ordinary.map((c) => ({ text: c.request.text, result: module.moderateLocally(c.request.text) }));
  const flagged = read.filter((r) => r.result.flagged);
  const escalated = read.filter((r) => r.result.confidence < 0.8);
  console.log(`${split}: ordinary texts ${ordinary.length}, flagged (false positives) ${flagged.length}, escalated at 0.8 ${escalated.length}`);
  for (const r of flagged) console.log(`  false positive: ${r.text}`);
  for (const r of escalated) console.log(`  escalated: ${r.text}`);
}

/**
 * Moderation on real-looking support traffic: the retrieval eval's customer questions (none
 * abusive), as a chat bot would moderate them. Neither a dev nor a test split of the hard set, and
 * never used to fit anything: the cost of the confidence on ordinary messages said to "you".
 */
function reportSupportQuestions(module) {
  const questions = JSON.parse(readFileSync(new URL('./retrieval/questions.json', import.meta.url), 'utf8')).map((q) => q.question);
  const read = questions.map((text) => module.moderateLocally(text));
  console.log(`support questions (eval/retrieval): ${questions.length}, flagged ${read.filter((r) => r.flagged).length}, escalated at 0.8 ${read.filter((r) => r.confidence < 0.8).length}`);
}

function moderationReading(module, testCase) {
  const { result, bucket } = module.readModeration(testCase.request.text);
  return { label: result.flagged, bucket };
}

async function fitClassify(module) {
  const bytes = readFileSync(new URL('../assets/word-vectors.bin', import.meta.url));
  const embedder = await module.localEmbedder({ ASSETS: { fetch: async () => new Response(bytes) } });
  const { cases } = await import('./tasks-hard/classify.mjs');
  const features = (rows) =>
    rows.map((c) => {
      const labels = [...c.request.labels].sort();
      const labelVectors = embedder.embed(labels.map(module.labelDescription));
      const vector = embedder.embed([c.request.text])[0];
      const sims = labelVectors.map((label) => module.cosineSimilarity(vector, label));
      const order = sims.map((value, index) => [value, index]).sort((a, b) => b[0] - a[0]);
      const x = [1, (order[0][0] - order[1][0]) * 10, module.cosineSimilarity(labelVectors[order[0][1]], labelVectors[order[1][1]]), order[0][0] * 5];
      return { x, y: labels[order[0][1]] === c.expected ? 1 : 0 };
    });
  const train = features(cases.filter((c) => c.split === 'dev'));
  // Logistic regression, full-batch gradient descent, light L2 on the slopes; deterministic.
  let w = [0, 0, 0, 0];
  const sigmoid = (z) => 1 / (1 + Math.exp(-z));
  const predict = (x) => sigmoid(x.reduce((sum, xi, i) => sum + xi * w[i], 0));
  for (let step = 0; step < 20_000; step++) {
    const gradient = [0, 0, 0, 0];
    for (const { x, y } of train) {
      const error = predict(x) - y;
      x.forEach((xi, i) => (gradient[i] += error * xi));
    }
    w = w.map((wi, i) => wi - 0.05 * (gradient[i] / train.length + 0.01 * (i ? wi : 0)));
  }
  const [intercept, margin, labelSimilarity, topSimilarity] = w.map((value) => Math.round(value * 1000) / 1000);
  console.log(`LOCAL_CORRECTNESS = { intercept: ${intercept}, margin: ${margin}, labelSimilarity: ${labelSimilarity}, topSimilarity: ${topSimilarity} }`);
  for (const split of ['dev', 'test']) {
    const scored = features(cases.filter((c) => c.split === split)).map(({ x, y }) => ({ p: predict(x), y }));
    const kept = scored.filter((s) => s.p >= 0.6);
    console.log(`${split}: kept at 0.6 ${kept.length}/${scored.length}, wrong ${kept.filter((s) => !s.y).length}`);
  }
}
