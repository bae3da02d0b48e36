// The tenant-trained classifier's learning curve (issue 14 item 5), run by
// `npm run eval:local -- --set classifiers`. For 5 / 10 / 25 / 50 examples per intent it trains a
// classifier through the real local server (POST /v1/classifiers, the first n tickets of each
// intent in support-tickets.mjs), then classifies through POST /v1/classify with the tenant pinned
// to the local tier (no escalation): tickets 51–60 of each intent ("rest") and every ticket in
// held-out.mjs. It prints accuracy, the cross-validated accuracy the API reported, and — at the
// trained classifier's default cascade threshold — how many answers stay local and how many of
// those are wrong, plus a reliability table (is a 0.8 right 8 times in 10?). Then, because which
// 25 tickets a tenant happens to give matters, it trains DRAWS more classifiers on seeded random
// draws of 25 per intent from tickets 1–50 and reports the spread of their test accuracy (a
// measurement of the same trainer, not a choice: nothing is selected by it).
import { createTenant } from '../../scripts/lib/local-server.mjs';
import { intents as heldOut } from './held-out.mjs';
import { intents } from './support-tickets.mjs';
import { mulberry32 } from '../../scripts/lib/mulberry32.mjs';

const SIZES = [5, 10, 25, 50];
const TRAIN_POOL = 50;
/** TRAINED_CASCADE_THRESHOLD in src/tasks/classify/trained.ts. */
const THRESHOLD = 0.9;
const BANDS = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0001];
const BATCH = 50;
const DRAWS = 10;
const DRAW_SIZE = 25;
const percent = (part, whole) => (whole === 0 ? '—' : `${((part / whole) * 100).toFixed(1)}%`);

async function classifyAll(server, tenant, id, cases) {
  const outcomes = [];
  for (let start = 0; start < cases.length; start += BATCH) {
    const chunk = cases.slice(start, start + BATCH);
    const response = await server.request('POST', '/v1/classify', { ...tenant.auth, 'Cache-Control': 'no-cache' }, { text: chunk.map((c) => c.text), classifier: id });
    if (response.status !== 200) throw new Error(`classify: ${response.status} ${response.text}`);
    const envelope = JSON.parse(response.text);
    if (envelope.provider !== 'local') throw new Error(`answered by ${envelope.provider}, not local`);
    envelope.results.forEach((result, k) => outcomes.push({ ...chunk[k], predicted: result.labels[0].label, confidence: result.labels[0].score }));
  }
  return outcomes;
}

function draw(texts, size, next) {
  const pool = texts.slice(0, TRAIN_POOL);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, size);
}

function summary(outcomes) {
  const right = outcomes.filter((o) => o.predicted === o.label).length;
  const kept = outcomes.filter((o) => o.confidence >= THRESHOLD);
  const keptWrong = kept.filter((o) => o.predicted !== o.label).length;
  return { right, total: outcomes.length, kept: kept.length, keptWrong };
}

export async function evaluateClassifiers(server) {
  const tenant = await createTenant(server, 'eval-classifiers', { classify: { providers: ['local'] } });
  const rest = Object.entries(intents).flatMap(([label, texts]) => texts.slice(TRAIN_POOL).map((text) => ({ text, label })));
  const held = Object.entries(heldOut).flatMap(([label, texts]) => texts.map((text) => ({ text, label })));
  const labels = Object.keys(intents).length;
  console.log(`\n## Tenant-trained classifier: support tickets, ${labels} intents (eval/classifiers)`);
  console.log(`Test: ${rest.length} tickets (51–60 of each intent) + ${held.length} held-out tickets. Kept local = confidence ≥ ${THRESHOLD} (the default cascade threshold of a trained classifier).`);
  console.log('\n| examples per label | cross-validated accuracy (API) | training (request ms) | test accuracy: rest | held-out | both | kept local | confidently wrong (of kept) |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  const reliability = new Map();
  for (const n of SIZES) {
    const examples = Object.entries(intents).flatMap(([label, texts]) => texts.slice(0, n).map((text) => ({ text, label })));
    const started = performance.now();
    const response = await server.request('POST', '/v1/classifiers', tenant.auth, { name: `support-${n}`, examples });
    const elapsed = performance.now() - started;
    if (response.status !== 201) throw new Error(`training with ${n} per label: ${response.status} ${response.text}`);
    const classifier = JSON.parse(response.text);
    const onRest = await classifyAll(server, tenant, classifier.id, rest);
    const onHeld = await classifyAll(server, tenant, classifier.id, held);
    const [a, b, both] = [summary(onRest), summary(onHeld), summary([...onRest, ...onHeld])];
    reliability.set(n, [...onRest, ...onHeld]);
    console.log(
      `| ${n} | ${percent(classifier.metrics.cross_validated_accuracy, 1)} (${classifier.metrics.folds}-fold) | ${elapsed.toFixed(0)} | ${percent(a.right, a.total)} | ${percent(b.right, b.total)} | ${percent(both.right, both.total)} | ${both.kept} (${percent(both.kept, both.total)}) | ${both.keptWrong} (${percent(both.keptWrong, both.kept)}) |`,
    );
  }
  console.log('\nReliability (rest + held-out): confidence band → how often the top label was right');
  console.log(`| confidence | ${SIZES.map((n) => `${n}/label`).join(' | ')} |`);
  console.log(`|---|${SIZES.map(() => '---:').join('|')}|`);
  for (let band = 0; band < BANDS.length - 1; band++) {
    const cells = SIZES.map((n) => {
      const inBand = reliability.get(n).filter((o) => o.confidence >= BANDS[band] && o.confidence < BANDS[band + 1]);
      return inBand.length === 0 ? '—' : `${percent(inBand.filter((o) => o.predicted === o.label).length, inBand.length)} of ${inBand.length}`;
    });
    console.log(`| ${BANDS[band].toFixed(1)}–${Math.min(1, BANDS[band + 1]).toFixed(1)} | ${cells.join(' | ')} |`);
  }

  // The spread over which 25 tickets per intent were given (tickets 1–50 only; the test is the same).
  const draws = [];
  for (let d = 0; d < DRAWS; d++) {
    const next = mulberry32(2000 + d);
    const examples = Object.entries(intents).flatMap(([label, texts]) => draw(texts, DRAW_SIZE, next).map((text) => ({ text, label })));
    const response = await server.request('POST', '/v1/classifiers', tenant.auth, { name: `support-draw-${d}`, examples });
    if (response.status !== 201) throw new Error(`training draw ${d}: ${response.status} ${response.text}`);
    const classifier = JSON.parse(response.text);
    draws.push(summary([...(await classifyAll(server, tenant, classifier.id, rest)), ...(await classifyAll(server, tenant, classifier.id, held))]));
  }
  const accuracies = draws.map((d) => d.right / d.total).sort((a, b) => a - b);
  const mean = accuracies.reduce((sum, a) => sum + a, 0) / accuracies.length;
  const kept = draws.reduce((sum, d) => sum + d.kept, 0);
  const keptWrong = draws.reduce((sum, d) => sum + d.keptWrong, 0);
  console.log(`\n${DRAWS} seeded random draws of ${DRAW_SIZE} per intent from tickets 1–50, same test tickets: accuracy mean ${percent(mean, 1)}, lowest ${percent(accuracies[0], 1)}, highest ${percent(accuracies.at(-1), 1)} (each: ${accuracies.map((a) => percent(a, 1)).join(', ')}); kept local ${kept} of ${draws.reduce((sum, d) => sum + d.total, 0)}, confidently wrong ${keptWrong} (${percent(keptWrong, kept)})`);
}
