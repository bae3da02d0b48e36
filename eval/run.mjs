#!/usr/bin/env node
// `npm run eval:local`: how good the embedded local tier is, per task, on small hand-labelled
// sets (eval/tasks/<task>.mjs). Each case goes through the real local server with the tenant
// pinned to the local provider, so what is measured is exactly what a request gets.
//
// A task file exports: description, metric (its name), cases [{ request, expected }], and
// correct(envelope, expected) → boolean. Run one task with `npm run eval:local -- sentiment`.
import { readdirSync } from 'node:fs';
import { createTenant, startLocalServer } from '../scripts/lib/local-server.mjs';

const only = process.argv.slice(2);
const files = readdirSync(new URL('./tasks/', import.meta.url))
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

async function main() {
  server = await startLocalServer({ stateDir: '.wrangler/eval-state' });
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
