#!/usr/bin/env node
// `npm run eval:local`: how good the embedded local tier is, per task, on small hand-labelled
// sets (eval/tasks/<task>.mjs). Each case goes through the real local server with the tenant
// pinned to the local provider, so what is measured is exactly what a request gets.
//
// A task file exports: description, metric (its name), cases [{ request, expected }], and
// correct(envelope, expected) → boolean. Run one task with `npm run eval:local -- sentiment`.
//
// `--set hard` runs the hard sets (eval/tasks-hard/<task>.mjs, issue 14) instead: every case has a
// `split` (dev: tune on it; test: report it), and a task with a cascade also exports
// confidence(envelope) and its defaultCascadeThreshold. For each split it prints accuracy, how
// many answers the local tier would keep at that threshold, the confidently wrong rate (the share
// of kept answers that are wrong) and a reliability table (accuracy per confidence band).
// A task whose answers are typed spans (entities) also exports spans(envelope, expected) and gets
// per-type precision and recall and its confidently wrong share (eval/span-metrics.mjs).
// `--split dev|test` limits it to one split; `--misses` lists the texts it got wrong.
//
// `--set classifiers` trains tenant classifiers on the support-ticket set and prints their
// learning curve (eval/classifiers/curve.mjs, docs/classifiers.md).
import { readdirSync } from 'node:fs';
import { createTenant, startLocalServer } from '../scripts/lib/local-server.mjs';
import { describeSpanMiss, printSpanMetrics } from './span-metrics.mjs';

const argv = process.argv.slice(2);
const flag = (name) => {
  const index = argv.indexOf(name);
  if (index === -1) return undefined;
  const [value] = argv.splice(index, 2).slice(1);
  return value;
};
const set = flag('--set') ?? 'default';
const onlySplit = flag('--split');
const showMisses = argv.includes('--misses') ? (argv.splice(argv.indexOf('--misses'), 1), true) : false;
if (!['default', 'hard', 'classifiers'].includes(set)) throw new Error(`--set must be default, hard or classifiers, not ${set}`);
const folder = set === 'hard' ? './tasks-hard/' : './tasks/';
const only = argv;
const files = readdirSync(new URL(folder, import.meta.url))
  .filter((file) => file.endsWith('.mjs'))
  .filter((file) => only.length === 0 || only.includes(file.replace(/\.mjs$/, '')))
  .sort();

let server;
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => (server?.stop() ?? Promise.resolve()).finally(() => process.exit(130)));

async function evaluate(task, spec) {
  const tenant = await createTenant(server, `eval-${task}`, { [task]: { providers: ['local'] } });
  let correct = 0;
  const misses = [];
  for (const [index, testCase] of spec.cases.entries()) {
    // no-cache: every case is answered by the model, never by an earlier identical case.
    const response = await server.request('POST', `/v1/${task}`, { ...tenant.auth, 'Cache-Control': 'no-cache' }, testCase.request);
    if (response.status !== 200) throw new Error(`${task} case ${index}: ${response.status} ${response.text}`);
    const envelope = JSON.parse(response.text);
    if (envelope.provider !== 'local') throw new Error(`${task} case ${index}: answered by ${envelope.provider}, not local`);
    if (spec.correct(envelope, testCase.expected)) correct++;
    else misses.push(index);
  }
  return { task, metric: spec.metric, cases: spec.cases.length, correct, score: correct / spec.cases.length, misses, description: spec.description };
}

const BANDS = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001];
const percent = (part, whole) => (whole === 0 ? '—' : `${((part / whole) * 100).toFixed(1)}%`);

async function evaluateHard(task, spec) {
  const tenant = await createTenant(server, `eval-hard-${task}`, { [task]: { providers: ['local'] } });
  const outcomes = [];
  for (const [index, testCase] of spec.cases.entries()) {
    if (onlySplit && testCase.split !== onlySplit) continue;
    const response = await server.request('POST', `/v1/${task}`, { ...tenant.auth, 'Cache-Control': 'no-cache' }, testCase.request);
    if (response.status !== 200) throw new Error(`${task} case ${index}: ${response.status} ${response.text}`);
    const envelope = JSON.parse(response.text);
    if (envelope.provider !== 'local') throw new Error(`${task} case ${index}: answered by ${envelope.provider}, not local`);
    const confidence = spec.confidence ? spec.confidence(envelope) : 1;
    outcomes.push({ index, split: testCase.split, right: spec.correct(envelope, testCase.expected), confidence, envelope, testCase });
  }
  const threshold = spec.defaultCascadeThreshold;
  console.log(`\n## ${task} (hard set: ${spec.description})`);
  console.log(threshold === undefined ? 'No cascade for this task: every local answer is kept.' : `Default cascade threshold ${threshold}: answers with confidence ≥ ${threshold} are kept local.`);
  console.log('\n| split | cases | accuracy | kept local | kept and wrong | confidently wrong (of kept) | accuracy of escalated |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const split of ['dev', 'test']) {
    const rows = outcomes.filter((o) => o.split === split);
    if (rows.length === 0) continue;
    const kept = rows.filter((o) => threshold === undefined || o.confidence >= threshold);
    const escalated = rows.filter((o) => !kept.includes(o));
    const keptWrong = kept.filter((o) => !o.right).length;
    console.log(`| ${split} | ${rows.length} | ${percent(rows.filter((o) => o.right).length, rows.length)} | ${kept.length} (${percent(kept.length, rows.length)}) | ${keptWrong} | ${percent(keptWrong, kept.length)} | ${percent(escalated.filter((o) => o.right).length, escalated.length)} |`);
  }
  if (spec.confidence) {
    for (const split of ['dev', 'test']) {
      const rows = outcomes.filter((o) => o.split === split);
      if (rows.length === 0) continue;
      console.log(`\nReliability (${split}): local confidence band → how often the answer was right`);
      console.log('| confidence | answers | right | accuracy |');
      console.log('|---|---:|---:|---:|');
      for (let band = 0; band < BANDS.length - 1; band++) {
        const inBand = rows.filter((o) => o.confidence >= BANDS[band] && o.confidence < BANDS[band + 1]);
        if (inBand.length === 0) continue;
        const right = inBand.filter((o) => o.right).length;
        console.log(`| ${BANDS[band].toFixed(1)}–${Math.min(1, BANDS[band + 1]).toFixed(1)} | ${inBand.length} | ${right} | ${percent(right, inBand.length)} |`);
      }
    }
  }
  if (spec.spans) printSpanMetrics(outcomes, spec);
  if (showMisses) {
    for (const o of outcomes.filter((x) => !x.right)) {
      if (spec.spans) {
        console.log(describeSpanMiss(o, spec));
        continue;
      }
      const kept = threshold === undefined || o.confidence >= threshold;
      console.log(`miss ${o.split} #${o.index}${kept ? ' KEPT' : ''} conf=${o.confidence.toFixed(3)} expected=${JSON.stringify(o.testCase.expected)} got=${JSON.stringify(o.envelope.results).slice(0, 160)} :: ${JSON.stringify(o.testCase.request).slice(0, 200)}`);
    }
  }
}

async function main() {
  server = await startLocalServer({ stateDir: '.wrangler/eval-state' });
  if (set === 'classifiers') {
    const { evaluateClassifiers } = await import('./classifiers/curve.mjs');
    return evaluateClassifiers(server);
  }
  if (set === 'hard') {
    for (const file of files) await evaluateHard(file.replace(/\.mjs$/, ''), await import(`${folder}${file}`));
    return;
  }
  const rows = [];
  for (const file of files) {
    const task = file.replace(/\.mjs$/, '');
    rows.push(await evaluate(task, await import(`./tasks/${file}`)));
  }
  console.log('\n| task | metric | cases | correct | score | set |');
  console.log('|---|---|---:|---:|---:|---|');
  for (const row of rows) console.log(`| ${row.task} | ${row.metric} | ${row.cases} | ${row.correct} | ${(row.score * 100).toFixed(1)}% | ${row.description} |`);
  for (const row of rows.filter((r) => r.misses.length > 0)) console.log(`\n${row.task}: missed cases ${row.misses.join(', ')}`);
}

main()
  .catch((error) => {
    console.error(`eval: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(() => server?.stop());
