import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_ENTITIES_TEXT_CHARS } from '../../src/tasks/entities/schema';
import { MAX_CONTEXT_CHARS } from '../../src/tasks/answer/schema';
import { MAX_MODERATE_CHARS } from '../../src/tasks/moderate/schema';
import { MAX_SUMMARIZE_CHARS } from '../../src/tasks/summarize/schema';
import { MAX_CLASSIFY_TEXT_CHARS } from '../../src/tasks/classify/schema';
import { MAX_MEANING_TEXT_CHARS } from '../../src/tasks/embed/limits';
import { MAX_TEXT_CHARS } from '../../src/tasks/text-input';
import { call, createTenant, type TestTenant } from '../support/api';
import { failOnErrorLogs } from './support/error-logs';
import { runs, TIMEOUT_MS } from './support/runs';

// Bounded work in the local tier (docs/security.md#bounded-work). wink-nlp's tokenizer costs
// quadratic to cubic time in the length of a run of characters without a space: a 2,000-character
// run of `http://` took ~0.2 s, 20,000 characters of it minutes, and a long run of `#` crashed the
// Worker. Every local-tier task now reads bounded, run-split windows of its texts. Here generated
// pathological text of each task's longest legal size goes to every local-tier task, and each
// answer must take at most a generous multiple of a plain one-sentence request measured in the
// same run (ratios, never absolute times: the machines are shared and noisy).

/** A hostile request may cost this many plain requests; on the unbounded code one such text cost thousands. */
const MAX_RATIO = 25;
/**
 * The largest legal batch of hostile or ordinary texts (the 1 MiB body full) may cost this many
 * plain requests (measured: up to ~45× under load, sentiment's 52 texts of 20,000 characters; 200
 * before work units).
 */
const MAX_BATCH_RATIO = 100;
/**
 * A batch of hostile texts may cost this many times the same batch of ordinary text: wink's windows
 * count work units that price each token at what it costs (providers/local/bounds.ts), so no shape
 * costs much more than ordinary text (measured 0.4–1.6× through the whole request; at the model,
 * `$1 $1 …` was ~3–4× with windows of pieces and is 0.9–1.4× now).
 * Each batch is timed three times (the median counts) and the bound is 2, not 1.2: one request's
 * time on a shared machine swings by ±30 % and more.
 */
const MAX_HOSTILE_TO_ORDINARY = 2;
/**
 * The model's own work (`modelWork`) on the largest legal request of any shape may cost this many
 * times its work on the largest batch of ordinary text its task's request budget reads whole
 * (tasks/local-window.ts). A sanity bound on time, not the budget's proof: in workerd the work per
 * text outside wink (entities' patterns, the window counts) is a larger share than in Node, so 100
 * texts sharing entities' budget cost 2–3× its 25 read whole (1.8× in Node), where the budget's
 * units are the same — and 3.3× with no budget at all, so this bound does not notice a missing
 * budget. That the budget holds is tested exactly, in units, in test/local-bounds.test.ts.
 */
const MAX_TO_BUDGETED = 4;
const BODY_BYTES = 1024 * 1024 - 8 * 1024;

/** Shapes that cost the unbounded tokenizer super-linear time, and characters to make more of them. */
const HOSTILE_UNITS = ['http://a.co', 'http://', '#', '!?', '#ab', '!', 'www.a.co/', '$1', 'a,', 'http://a.b.c/', '3rd', ':)', '1a', 'C++', '$12.50'];
const HOSTILE_CHARS = ['#', '!', '?', ':', '/', '.', ',', '$', '@', '-', '(', ')', '1', 'a', 'é', '😀', '\u200b', '\u00a0', '\ufeff'];

/** A text of exactly `length` characters built from one or two hostile units, with or without spaces. */
const hostileText = (length: number) =>
  fc
    .record({
      unit: fc.oneof(fc.constantFrom(...HOSTILE_UNITS), fc.string({ unit: fc.constantFrom(...HOSTILE_CHARS), minLength: 1, maxLength: 6 })),
      other: fc.option(fc.constantFrom(...HOSTILE_UNITS), { nil: undefined }),
      spaceEvery: fc.constantFrom(0, 0, 0, 7, 63, 65, 500),
    })
    .map(({ unit, other, spaceEvery }) => {
      let text = '';
      for (let index = 0; text.length < length; index++) {
        text += other && index % 3 === 2 ? other : unit;
        if (spaceEvery > 0 && text.length % spaceEvery < unit.length) text += ' ';
      }
      // Never end inside a surrogate pair (the API refuses lone surrogates with a 400).
      let cut = text.slice(0, length);
      if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
      return cut.trim().length > 0 ? cut : `a${cut.slice(1)}`;
    });

const ORDINARY =
  'The delivery arrived two days late on March 3rd, but the support team was friendly and refunded the $12.50 shipping fee. ' +
  'I would order again, although the packaging could be better! Call me at 10:30 am or mail help@example.com. ';
const fill = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

interface LocalTask {
  task: string;
  maxChars: number;
  maxItems: number;
  body: (texts: string[]) => Record<string, unknown>;
  /** How many ordinary texts of the longest size the task's request budget reads whole, where fewer than the largest batch. */
  withinBudget?: number;
  /**
   * The full batch, where it differs: entities asks only for the types wink finds, so the batches
   * compare the work, not the answer's size — 100 texts of `$1 $1 …` hold 66,600 money entities
   * (4.3 MB of JSON, whose serialisation, transfer and caching cost more than the model) where
   * ordinary text holds 4,400 (0.3 MB). The output is linear in the input all the same.
   */
  batchBody?: (texts: string[]) => Record<string, unknown>;
}

const LABELS = ['billing', 'shipping', 'account access'];
const TASKS: LocalTask[] = [
  { task: 'sentiment', maxChars: MAX_TEXT_CHARS, maxItems: 100, body: (texts) => ({ text: texts }) },
  {
    task: 'entities',
    maxChars: MAX_ENTITIES_TEXT_CHARS,
    maxItems: 100,
    body: (texts) => ({ text: texts }),
    batchBody: (texts) => ({ text: texts, types: ['date', 'duration', 'percent', 'ordinal', 'hashtag', 'mention', 'emoticon'] }),
    withinBudget: 25,
  },
  { task: 'classify', maxChars: MAX_CLASSIFY_TEXT_CHARS, maxItems: 100, body: (texts) => ({ text: texts, labels: LABELS }) },
  { task: 'language', maxChars: MAX_TEXT_CHARS, maxItems: 100, body: (texts) => ({ text: texts }) },
  { task: 'embed', maxChars: MAX_MEANING_TEXT_CHARS, maxItems: 100, body: (texts) => ({ text: texts }) },
  { task: 'similarity', maxChars: MAX_MEANING_TEXT_CHARS, maxItems: 100, body: (texts) => ({ source: texts[0], targets: texts }) },
  { task: 'rerank', maxChars: MAX_MEANING_TEXT_CHARS, maxItems: 100, withinBudget: 39, body: (texts) => ({ query: texts[0]!.slice(0, 500), documents: texts }) },
  { task: 'answer', maxChars: MAX_CONTEXT_CHARS, maxItems: 1, body: (texts) => ({ question: `When ${texts[0]!.slice(0, 400)}?`, context: texts[0] }) },
  { task: 'moderate', maxChars: MAX_MODERATE_CHARS, maxItems: 25, body: (texts) => ({ text: texts }) },
  { task: 'summarize', maxChars: MAX_SUMMARIZE_CHARS, maxItems: 10, withinBudget: 4, body: (texts) => ({ text: texts, max_words: 60 }) },
];

let tenant: TestTenant;

beforeAll(async () => {
  tenant = await createTenant({ limits: { rpm: 1_000_000, burst: 1_000_000, daily_budget_usd: 1_000_000 }, providerOrder: Object.fromEntries(TASKS.map(({ task }) => [task, ['local']])) });
});

/** Milliseconds for one answered request (body read), which must be a 200 from the local tier; uncached unless `cached`. */
async function timed(task: string, body: unknown, cached = false): Promise<number> {
  const started = performance.now();
  const response = await call(`/v1/${task}`, { headers: { ...tenant.auth, ...(cached ? {} : { 'cache-control': 'no-cache' }) }, body });
  const text = await response.text();
  const elapsed = performance.now() - started;
  expect(response.status, `${task}: ${text.slice(0, 300)}`).toBe(200);
  expect(JSON.parse(text).provider).toBe('local');
  if (cached) expect(response.headers.get('x-cache'), task).toBe('HIT');
  return elapsed;
}

/**
 * The model's own work in a request: its time uncached less its time answered from the cache. A
 * hit does everything else a request does (parse and validate the body, hash every item's key,
 * read the cache, write the answer), so the difference is what the local tier spent on it — the
 * figure the per-request work budget bounds, where a whole 1 MiB request is mostly the path around it.
 */
async function modelWork(task: string, body: unknown): Promise<{ miss: number; hit: number; model: number }> {
  const miss = median([await timed(task, body), await timed(task, body), await timed(task, body)]);
  // The uncached runs fill the cache after answering (waitUntil): wait for it to be there.
  for (let attempt = 0; attempt < 50; attempt++) {
    const response = await call(`/v1/${task}`, { headers: tenant.auth, body });
    await response.arrayBuffer();
    if (response.headers.get('x-cache') === 'HIT') break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const hit = median([await timed(task, body, true), await timed(task, body, true), await timed(task, body, true)]);
  return { miss, hit, model: Math.max(0, miss - hit) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The yardstick: a one-sentence request, median of five, after warming the task's models up. */
async function plainRequest({ task, body }: LocalTask): Promise<number> {
  await timed(task, body(['Warm the local models up, please.']));
  const samples: number[] = [];
  for (let run = 0; run < 5; run++) samples.push(await timed(task, body(['The support team was friendly and refunded the fee.'])));
  // A floor of 2 ms keeps a very fast plain request from making the bound meaninglessly tight.
  return Math.max(2, median(samples));
}

describe('bounded work: hostile text costs the local tier a bounded multiple of a plain request', () => {
  failOnErrorLogs();

  for (const spec of TASKS) {
    it(
      `${spec.task}: one text of the longest legal size, generated to be pathological`,
      async () => {
        const plain = await plainRequest(spec);
        let worst = 0;
        await fc.assert(
          fc.asyncProperty(hostileText(spec.maxChars), async (text) => {
            const ms = await timed(spec.task, spec.body([text]));
            worst = Math.max(worst, ms);
            expect(ms, `${spec.task}: ${ms.toFixed(1)} ms for ${JSON.stringify(text.slice(0, 40))}… vs ${plain.toFixed(1)} ms plain`).toBeLessThanOrEqual(MAX_RATIO * plain);
          }),
          runs(4),
        );
        console.log(`bounded-work ${spec.task}: plain ${plain.toFixed(1)} ms, slowest hostile text ${worst.toFixed(1)} ms (${(worst / plain).toFixed(1)}×)`);
      },
      TIMEOUT_MS * 3,
    );
  }

  it(
    'the largest legal batch of hostile texts, and of ordinary ones, stays within a bounded multiple too',
    async () => {
      for (const spec of TASKS) {
        const plain = await plainRequest(spec);
        let ordinary = 0;
        // The yardstick of the request budget: the largest ordinary batch it reads whole (the largest
        // batch itself where that fits), measured first.
        const batchOf = (unit: string, count: number) => {
          const text = fill(unit, spec.maxChars);
          // Distinct texts, so no two items share a cache key or a flight.
          return (spec.batchBody ?? spec.body)(Array.from({ length: count }, (_, index) => `${index} ${text}`.slice(0, spec.maxChars)));
        };
        const budgeted = spec.withinBudget ? Math.max((await modelWork(spec.task, batchOf(ORDINARY, spec.withinBudget))).model, 2 * plain) : undefined;
        if (budgeted) console.log(`bounded-work ${spec.task} batch ordinary × ${spec.withinBudget} (read whole within the request budget): model ${budgeted.toFixed(1)} ms`);
        let budgetedOrLargest = budgeted;
        for (const [label, unit] of [['ordinary', ORDINARY], ['"$1 "', '$1 '], ['"1a "', '1a '], ['"http://"', 'http://'], ['"!?"', '!?']] as const) {
          // As many copies of the longest text as the task and the body limit allow.
          const text = fill(unit, spec.maxChars);
          const items = Math.max(1, Math.min(spec.maxItems, Math.floor(BODY_BYTES / (new TextEncoder().encode(JSON.stringify(text)).length + 1))));
          // Uncached every time (no-cache), so each of the three runs does the work; then from the cache.
          const { miss: ms, hit, model } = await modelWork(spec.task, batchOf(unit, items));
          console.log(
            `bounded-work ${spec.task} batch ${label} × ${items}: ${ms.toFixed(1)} ms (${(ms / plain).toFixed(1)}× plain ${plain.toFixed(1)} ms); ` +
              `model ${model.toFixed(1)} ms (from the cache ${hit.toFixed(1)} ms)`,
          );
          expect(ms, `${spec.task} ${label} × ${items}: ${ms.toFixed(1)} ms vs ${plain.toFixed(1)} ms plain`).toBeLessThanOrEqual(MAX_BATCH_RATIO * plain);
          // The floor keeps a fast ordinary batch (similarity's, ~40 ms) from making the bound a coin toss.
          if (label === 'ordinary') {
            ordinary = Math.max(ms, 10 * plain);
            budgetedOrLargest ??= Math.max(model, 2 * plain);
          } else expect(ms, `${spec.task} ${label} × ${items}: ${ms.toFixed(1)} ms vs ${ordinary.toFixed(1)} ms ordinary`).toBeLessThanOrEqual(MAX_HOSTILE_TO_ORDINARY * ordinary);
          // The request budget: no request costs the model much more than what the budget reads whole.
          expect(model, `${spec.task} ${label} × ${items}: the model's work ${model.toFixed(1)} ms vs ${budgetedOrLargest!.toFixed(1)} ms within the budget`).toBeLessThanOrEqual(
            MAX_TO_BUDGETED * budgetedOrLargest!,
          );
        }
      }
    },
    TIMEOUT_MS * 16,
  );
});
