import { describe, expect, it } from 'vitest';
import { classifyResultSchema, type ClassifyResult } from '../../src/tasks/classify/schema';
import { fromZeroShot } from '../../src/tasks/classify/providers';
import { scoresFromSimilarities } from '../../src/tasks/classify/scoring';
import { classifyTask } from '../../src/tasks/classify/task';
import { aiCallsFor, call, configureTask, createTenant, hfCallRecord, json, uniqueText } from '../support/api';
import { callProvider, describeProviderContract, describeUpstreamFaults, failureOf } from '../support/provider-contract';

const TOPICS = ['cooking', 'politics', 'sports', 'technology'];
const single = { labels: TOPICS, multi_label: false };
const multi = { labels: TOPICS, multi_label: true };
const SAMPLES: [string, string][] = [
  ['The team won the championship, a great day for sports fans', 'sports'],
  ['The election campaign shows how divided politics has become', 'politics'],
  ['The new smartphone shows how fast technology moves', 'technology'],
  ['Simmer the onions in butter, then add garlic: cooking takes patience', 'cooking'],
];
const top = (result: ClassifyResult) => result.labels[0]!.label;
const sum = (result: ClassifyResult) => result.labels.reduce((total, entry) => total + entry.score, 0);

describeProviderContract(classifyTask, {
  items: SAMPLES.map(([text]) => text),
  options: single,
  result: classifyResultSchema,
  check: (results) => {
    expect(results.map(top)).toEqual(SAMPLES.map(([, label]) => label));
    for (const result of results) {
      expect(result.labels.map((entry) => entry.label).sort()).toEqual(TOPICS);
      expect(result.labels.map((entry) => entry.score)).toEqual([...result.labels.map((entry) => entry.score)].sort((a, b) => b - a));
      expect(sum(result)).toBeCloseTo(1, 2);
    }
  },
});

describeUpstreamFaults(classifyTask, (directive) => `sports news ${directive}`, single);

describe.each(classifyTask.providers.map((mapping) => [mapping.provider] as const))('classify on %s: multi_label', (provider) => {
  it('scores each label on its own, the right one highest', async () => {
    const results = await callProvider(classifyTask, provider, SAMPLES.map(([text]) => text), multi);
    expect(results.map(top)).toEqual(SAMPLES.map(([, label]) => label));
    for (const result of results) {
      expect(result.labels).toHaveLength(TOPICS.length);
      expect(result.labels[0]!.score).toBeGreaterThan(0.5);
      expect(result.labels.at(-1)!.score).toBeLessThan(0.5);
    }
  });
});

describe('classify score mapping (embedding providers)', () => {
  const calibration = { temperature: 0.1, center: 0.2 };

  it('single-label: a softmax over the labels, best first', () => {
    const scores = scoresFromSimilarities(['a', 'b', 'c'], [0.1, 0.4, 0.2], calibration, false);
    expect(scores.map((entry) => entry.label)).toEqual(['b', 'c', 'a']);
    expect(scores.reduce((total, entry) => total + entry.score, 0)).toBeCloseTo(1, 3);
    expect(scores[0]!.score).toBeCloseTo(Math.exp(4) / (Math.exp(1) + Math.exp(4) + Math.exp(2)), 3);
  });

  it('multi_label: 0.5 at the center, independent of the other labels', () => {
    const [atCenter] = scoresFromSimilarities(['a'], [0.2], calibration, true);
    expect(atCenter!.score).toBe(0.5);
    const alone = scoresFromSimilarities(['a', 'b'], [0.5, 0.1], calibration, true).find((entry) => entry.label === 'a');
    const crowded = scoresFromSimilarities(['a', 'b', 'c'], [0.5, 0.45, 0.48], calibration, true).find((entry) => entry.label === 'a');
    expect(alone!.score).toBe(crowded!.score);
  });

  it('a text with no known words gets equal scores (the zero vector is similar to nothing)', async () => {
    const [result] = await callProvider(classifyTask, 'local', ['ẞẞẞ 12345'], single);
    expect(new Set(result!.labels.map((entry) => entry.score))).toEqual(new Set([0.25]));
  });
});

describe('classify on huggingface: wire details', () => {
  const text = 'sports and politics tonight';

  it('reads the legacy {sequence, labels, scores}, the new [{label, score}] and a listed legacy body alike', async () => {
    const [legacy] = await callProvider(classifyTask, 'huggingface', [text], single);
    const [fresh] = await callProvider(classifyTask, 'huggingface', [`${text} [[hf:new-shape]]`], single);
    const [listed] = await callProvider(classifyTask, 'huggingface', [`${text} [[hf:listed-legacy]]`], single);
    expect(fresh).toEqual(legacy);
    expect(listed).toEqual(legacy);
  });

  it('refuses an answer that does not score every candidate label', () => {
    expect(() => fromZeroShot(['a', 'b'], [{ label: 'a', score: 1 }])).toThrow(/do not match the candidates/);
    expect(() => fromZeroShot(['a', 'b'], [{ label: 'a', score: 0.5 }, { label: 'c', score: 0.5 }])).toThrow(/missing: b/);
    expect(() => fromZeroShot(['a', 'b'], { labels: ['a'] })).toThrow(/expected/);
  });

  it('posts to the default model route', async () => {
    const unique = uniqueText('sports');
    await callProvider(classifyTask, 'huggingface', [unique], single);
    expect((await hfCallRecord(unique)).paths).toEqual(['/models/facebook/bart-large-mnli']);
  });
});

describe('classify on workers-ai: batching', () => {
  it('embeds texts and label descriptions together, 100 per call', async () => {
    const marker = crypto.randomUUID();
    const texts = Array.from({ length: 100 }, (_, index) => `sports result ${index} ${marker}`);
    const results = await callProvider(classifyTask, 'workers-ai', texts, single, { timeoutMs: 5_000 });
    expect(results.map(top)).toEqual(texts.map(() => 'sports'));
    expect(await aiCallsFor(marker)).toBe(1); // all 100 texts in the first call; the labels in a second
  });

  it('refuses embeddings that do not match the inputs', async () => {
    const error = await failureOf(callProvider(classifyTask, 'workers-ai', ['x [[ai:wrong-shape]]'], single));
    expect(error.code).toBe('upstream_bad_response');
  });
});

const classify = (auth: Record<string, string>, body: unknown) => call('/v1/classify', { headers: auth, body });

describe('POST /v1/classify', () => {
  it('answers the envelope with every label scored, best first', async () => {
    const tenant = await createTenant();
    const text = uniqueText('Great match for sports fans');
    const response = await classify(tenant.auth, { text, labels: ['sports', 'politics', 'cooking'] });
    const body = await json(response);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-cache')).toBe('MISS');
    expect(body).toMatchObject({ task: 'classify', provider: 'workers-ai', model: '@cf/baai/bge-small-en-v1.5', cached: false, usage: { items: 1, cached_items: 0 } });
    expect(body.results).toHaveLength(1);
    expect(top(body.results[0])).toBe('sports');
    expect(body.results[0].labels.map((entry: { label: string }) => entry.label).sort()).toEqual(['cooking', 'politics', 'sports']);
    expect(body.usage.units).toBeGreaterThan(0);
    expect(body.usage.cost_usd).toBeGreaterThan(0);
  });

  it('caches per text and label set: a new text in a batch is the only one sent; label order does not matter', async () => {
    const tenant = await createTenant();
    const [seen, fresh] = [uniqueText('sports final, sports fans, sports news'), uniqueText('politics debate, politics news, politics vote')];
    const labels = ['politics', 'sports'];
    await classify(tenant.auth, { text: seen, labels });
    const partial = await classify(tenant.auth, { text: [seen, fresh], labels });
    const body = await json(partial);
    expect(partial.headers.get('x-cache')).toBe('PARTIAL');
    expect(body.usage).toMatchObject({ items: 2, cached_items: 1 });
    expect(body.results.map((result: ClassifyResult) => top(result))).toEqual(['sports', 'politics']);
    expect([await aiCallsFor(seen), await aiCallsFor(fresh)]).toEqual([1, 1]);

    const reordered = await classify(tenant.auth, { text: [seen, fresh], labels: ['sports', 'politics'] });
    expect(reordered.headers.get('x-cache')).toBe('HIT');
    const otherMode = await classify(tenant.auth, { text: seen, labels, multi_label: true });
    expect(otherMode.headers.get('x-cache')).toBe('MISS');
  });

  it('runs on the local tier and on the tenant-chosen Hugging Face model', async () => {
    const tenant = await createTenant({ providerOrder: { classify: ['local'] } });
    const local = await json(await classify(tenant.auth, { text: 'The striker scored a goal in the football match', labels: ['sports', 'cooking'] }));
    expect(local).toMatchObject({ provider: 'local', model: 'minnow/semantic-zero-shot-en', usage: { cost_usd: 0 } });
    expect(top(local.results[0])).toBe('sports');

    await configureTask(tenant.id, 'classify', { providers: ['huggingface'], models: { huggingface: 'MoritzLaurer/deberta-v3-base-zeroshot-v2.0' } });
    const text = uniqueText('cooking tips');
    const remote = await json(await classify(tenant.auth, { text, labels: ['sports', 'cooking'] }));
    expect(remote).toMatchObject({ provider: 'huggingface', model: 'MoritzLaurer/deberta-v3-base-zeroshot-v2.0' });
    expect(top(remote.results[0])).toBe('cooking');
    expect((await hfCallRecord(text)).paths).toEqual(['/models/MoritzLaurer/deberta-v3-base-zeroshot-v2.0']);
  });

  it.each([
    ['no text', { labels: ['a', 'b'] }, 'missing_field', 'text'],
    ['no labels', { text: 'hi' }, 'missing_field', 'labels'],
    ['one label', { text: 'hi', labels: ['only one'] }, 'invalid_field', 'labels'],
    ['21 labels', { text: 'hi', labels: Array.from({ length: 21 }, (_, i) => `label ${i}`) }, 'invalid_field', 'labels'],
    ['a repeated label (case and spaces ignored)', { text: 'hi', labels: ['sports', 'news', ' Sports '] }, 'invalid_field', 'labels.2'],
    ['a blank label', { text: 'hi', labels: ['sports', '   '] }, 'invalid_field', 'labels.1'],
    ['a label over 100 characters', { text: 'hi', labels: ['sports', 'x'.repeat(101)] }, 'invalid_field', 'labels.1'],
    ['a text over 2,000 characters', { text: 'x'.repeat(2_001), labels: ['a', 'b'] }, 'invalid_field', 'text'],
    ['an empty text in a batch', { text: ['ok', ''], labels: ['a', 'b'] }, 'invalid_field', 'text.1'],
    ['multi_label not a boolean', { text: 'hi', labels: ['a', 'b'], multi_label: 'yes' }, 'invalid_field', 'multi_label'],
    ['an unknown field', { text: 'hi', labels: ['a', 'b'], top_k: 1 }, 'unknown_field', 'top_k'],
  ])('refuses %s', async (_case, body, code, param) => {
    const tenant = await createTenant();
    const response = await classify(tenant.auth, body);
    const error = (await json(response)).error;
    expect(response.status).toBe(400);
    expect([error.code, error.param]).toEqual([code, param]);
  });

  it('names the limits in the error message', async () => {
    const tenant = await createTenant();
    const tooMany = await json(await classify(tenant.auth, { text: 'hi', labels: Array.from({ length: 21 }, (_, i) => `l${i}`) }));
    expect(tooMany.error.message).toContain('20');
    const tooLong = await json(await classify(tenant.auth, { text: 'x'.repeat(2_001), labels: ['a', 'b'] }));
    expect(tooLong.error.message).toContain('2000');
  });
});

describe('OpenAPI document for classify, entities and language', () => {
  it('documents each route with its limits', async () => {
    const spec = await json(await call('/openapi.json'));
    const classifyRoute = spec.paths['/v1/classify'].post;
    expect(classifyRoute.description).toContain('2–20');
    expect(JSON.stringify(spec.components.schemas.ClassifyRequest)).toContain('each 1–100 characters');
    expect(spec.paths['/v1/entities'].post.description).toContain('UTF-16');
    expect(spec.paths['/v1/entities'].post.description).toContain('no names of people');
    expect(spec.paths['/v1/language'].post.description).toContain('"und"');
  });
});
