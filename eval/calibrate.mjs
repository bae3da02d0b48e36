#!/usr/bin/env node
// `node eval/calibrate.mjs sentiment [--split dev|test]`: how the local tier's evidence buckets did
// on a split of the hard set — the counts a task's calibration table is copied from (dev only;
// the test split is for reporting), together with the ordinary set eval/tasks/<task>.mjs. Runs the task's local code in Node (bundled with esbuild),
// not through the server: the bucket is internal, the envelope only shows its score.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [task = 'sentiment', ...rest] = process.argv.slice(2);
const split = rest.includes('--split') ? rest[rest.indexOf('--split') + 1] : 'dev';
const entries = { sentiment: 'src/tasks/sentiment/local-sentiment.ts' };
if (!entries[task]) throw new Error(`no calibration for ${task}; one of ${Object.keys(entries).join(', ')}`);

const dir = mkdtempSync(join(tmpdir(), 'minnow-calibrate-'));
try {
  const outfile = join(dir, 'module.mjs');
  await build({ entryPoints: [entries[task]], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error' });
  const module = await import(outfile);
  const { cases } = await import(`./tasks-hard/${task}.mjs`);
  // Calibration data: the hard set's split plus the ordinary set (eval/tasks/), so that the scores
  // reflect ordinary traffic as well as the hard cases. Reporting uses the hard test split alone.
  const ordinary = split === 'dev' ? (await import(`./tasks/${task}.mjs`)).cases : [];
  const byBucket = new Map();
  for (const testCase of [...cases.filter((c) => c.split === split), ...ordinary]) {
    const reading = module.readSentiment(testCase.request.text);
    const entry = byBucket.get(reading.bucket) ?? { right: 0, answers: 0, wrong: [] };
    entry.answers++;
    if (reading.label === testCase.expected) entry.right++;
    else entry.wrong.push(`${testCase.request.text} (${reading.label}, want ${testCase.expected})`);
    byBucket.set(reading.bucket, entry);
  }
  for (const [bucket, { right, answers }] of byBucket) console.log(`  '${bucket}': { right: ${right}, answers: ${answers} },  // ${((right + 1) / (answers + 2)).toFixed(3)}`);
  if (rest.includes('--wrong')) for (const [bucket, { wrong }] of byBucket) for (const text of wrong) console.log(`${bucket}: ${text}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
