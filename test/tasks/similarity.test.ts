import { describe, expect, it } from 'vitest';
import { MAX_MEANING_ITEMS, MAX_MEANING_TEXT_CHARS } from '../../src/tasks/embed/limits';
import { similarityScoresSchema } from '../../src/tasks/similarity/schema';
import { similarityTask } from '../../src/tasks/similarity/task';
import { aiCallsFor, call, configureTask, createTenant, hfCallRecord, json, uniqueText, type TestTenant } from '../support/api';
import { callProvider, describeProviderContract, describeUpstreamFaults } from '../support/provider-contract';

const PARCEL = { source: 'My parcel has not arrived', targets: ['How do I change my password?', 'The parcel never arrived'] };
const COOKING = { source: 'How long should I boil an egg?', targets: ['Boil the egg for seven minutes', 'Our office is in Berlin'] };

describeProviderContract(similarityTask, {
  items: [PARCEL, COOKING],
  options: {},
  result: similarityScoresSchema,
  check: ([parcel, cooking]) => {
    expect(parcel).toHaveLength(2);
    expect(parcel![1]).toBeGreaterThan(parcel![0]!);
    expect(cooking![0]).toBeGreaterThan(cooking![1]!);
  },
});

describeUpstreamFaults(similarityTask, (directive) => ({ source: `some text ${directive}`, targets: ['one', 'two'] }), {});

describe('similarity mappings: wire details', () => {
  it('Workers AI embeds the source once with the targets, 100 texts per call', async () => {
    const marker = crypto.randomUUID();
    const targets = Array.from({ length: MAX_MEANING_ITEMS }, (_, index) => `target ${index} ${marker}`);
    const [scores] = await callProvider(similarityTask, 'workers-ai', [{ source: 'a source', targets }], {}, { timeoutMs: 5_000 });
    expect(scores).toHaveLength(MAX_MEANING_ITEMS);
    expect(await aiCallsFor(marker)).toBe(2); // source + 99 targets, then the last target
  });

  it('Hugging Face: one sentence-similarity call to the model route', async () => {
    const source = uniqueText('where is my parcel');
    await callProvider(similarityTask, 'huggingface', [{ source, targets: ['a', 'b'] }], {});
    expect(await hfCallRecord(source)).toMatchObject({ calls: 1, paths: ['/models/sentence-transformers/all-MiniLM-L6-v2/pipeline/sentence-similarity'] });
  });

  it('local: a text is identical to itself; a text with no known word is similar to nothing', async () => {
    const [scores] = await callProvider(similarityTask, 'local', [{ source: 'the parcel arrived', targets: ['the parcel arrived', '12345 ẞẞẞ'] }], {});
    expect(scores![0]).toBeCloseTo(1, 3);
    expect(scores![1]).toBe(0);
  });
});

const similarity = (tenant: TestTenant, body: unknown) => call('/v1/similarity', { headers: tenant.auth, body });

describe('POST /v1/similarity', () => {
  it('answers one score per target, in order; the whole request is one cache entry', async () => {
    const tenant = await createTenant();
    const request = { source: uniqueText('my parcel has not arrived'), targets: ['the parcel never arrived', 'change my password', 'parcel arrived late'] };
    const response = await similarity(tenant, request);
    const body = await json(response);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-cache')).toBe('MISS');
    expect(body).toMatchObject({ task: 'similarity', provider: 'workers-ai', model: '@cf/baai/bge-small-en-v1.5', usage: { items: 1, cached_items: 0 } });
    expect(body.results).toHaveLength(3);
    const [arrived, password] = body.results.map((result: { score: number }) => result.score);
    expect(arrived).toBeGreaterThan(password);
    expect(body.usage.cost_usd).toBeGreaterThan(0);

    const again = await similarity(tenant, request);
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect((await json(again)).results).toEqual(body.results);
    expect(await aiCallsFor(request.source)).toBe(1);
  });

  it("runs the tenant's model and the local tier", async () => {
    const tenant = await createTenant();
    await configureTask(tenant.id, 'similarity', { providers: ['workers-ai'], models: { 'workers-ai': '@cf/baai/bge-base-en-v1.5' } });
    expect(await json(await similarity(tenant, PARCEL))).toMatchObject({ provider: 'workers-ai', model: '@cf/baai/bge-base-en-v1.5' });
    const local = await createTenant({ providerOrder: { similarity: ['local'] } });
    const body = await json(await similarity(local, PARCEL));
    expect(body).toMatchObject({ provider: 'local', model: 'minnow/word-vectors-sif-100d', usage: { cost_usd: 0 } });
    expect(body.results[1].score).toBeGreaterThan(body.results[0].score);
  });

  it('falls back to another model when the first fails (one item: scores never mix models)', async () => {
    const tenant = await createTenant();
    const body = await json(await similarity(tenant, { source: uniqueText('parcel [[ai:3040]]'), targets: ['parcel'] }));
    expect(body).toMatchObject({ provider: 'huggingface', fallback_from: [{ provider: 'workers-ai', code: 'upstream_overloaded' }] });
  });

  it.each([
    [{ source: 'x'.repeat(MAX_MEANING_TEXT_CHARS + 1), targets: ['a'] }, 'source', String(MAX_MEANING_TEXT_CHARS)],
    [{ source: 'a', targets: Array.from({ length: MAX_MEANING_ITEMS + 1 }, () => 'b') }, 'targets', String(MAX_MEANING_ITEMS)],
    [{ source: 'a', targets: [] }, 'targets', 'at least one'],
    [{ source: 'a', targets: ['b', 'c', ''] }, 'targets.2', 'empty'],
    [{ targets: ['b'] }, 'source', 'Missing'],
    [{ source: 'a', targets: 'b' }, 'targets', 'expected array'],
  ])('refuses %#: 400 naming %s', async (body, param, mention) => {
    const tenant = await createTenant();
    const response = await similarity(tenant, body);
    expect(response.status).toBe(400);
    const { error } = await json(response);
    expect(error.param).toBe(param);
    expect(error.message).toContain(mention);
  });
});
