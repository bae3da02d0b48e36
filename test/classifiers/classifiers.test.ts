import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { insertNextVersion } from '../../src/storage/classifiers';
import { usageForTenant } from '../../src/storage/usage';
import { estimateCost } from '../../src/pipeline/run-task';
import { classifyTask } from '../../src/tasks/classify/task';
import { TRAINED_CASCADE_THRESHOLD } from '../../src/tasks/classify/trained';
import { ADMIN, aiCallsFor, call, configureTask, createTenant, eventually, json } from '../support/api';

// No random id appended (uniqueText): its letter runs are character n-grams to the classifier, and
// could pull a short ticket under the cascade threshold. Answers are cached per classifier version,
// and every test trains its own classifier, so a fixed text is never a stale hit.
const PARCEL_TICKET = 'the courier lost my parcel and the tracking has not moved';
import { classifyWith, SUPPORT_EXAMPLES, trainedClassifier } from './support';

describe('tenant-trained classifiers: train, answer, version', () => {
  it('trains on the examples and answers 201 with cross-validated metrics', async () => {
    const tenant = await createTenant();
    const created = await trainedClassifier(tenant.auth);
    expect(created).toMatchObject({ object: 'classifier', name: 'support', labels: ['account', 'billing', 'shipping'], version: 1, status: 'ready', answering_version: 1 });
    expect(created.id).toMatch(/^clf_[A-Za-z0-9]+$/);
    const { metrics } = created;
    expect(metrics.folds).toBe(5);
    expect(metrics.cross_validated_accuracy).toBeGreaterThan(0.5);
    expect(metrics.cross_validated_accuracy).toBeLessThanOrEqual(1);
    expect(Object.keys(metrics.per_label).sort()).toEqual(['account', 'billing', 'shipping']);
    for (const label of ['account', 'billing', 'shipping']) {
      expect(metrics.per_label[label]).toMatchObject({ examples: 6 });
      expect(metrics.per_label[label].recall).toBeGreaterThanOrEqual(0);
      expect(metrics.per_label[label].precision).toBeLessThanOrEqual(1);
    }
    expect(created.versions[0]).toMatchObject({ version: 1, status: 'ready', examples: 18, features: 'lexical+word-vectors-100k' });
    // GET and the list say the same.
    const got = await call(`/v1/classifiers/${created.id}`, { headers: tenant.auth });
    expect(await json(got)).toEqual(created);
    const list = await json(await call('/v1/classifiers', { headers: tenant.auth }));
    expect(list.data.map((c: { id: string }) => c.id)).toEqual([created.id]);
  });

  it('classifies with it on the local tier: $0, metered, cached', async () => {
    const tenant = await createTenant();
    const { id } = await trainedClassifier(tenant.auth);
    // No random prefix: its hashed n-grams moved the score across the default threshold (0.9) from
    // run to run. Training is seeded and each tenant's cache is its own, so the text need not vary.
    const text = 'my package tracking has not moved and the courier never came';
    const response = await classifyWith(tenant.auth, id, text);
    const body = await json(response);
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ task: 'classify', provider: 'local', model: `${id}@v1`, cached: false, usage: { items: 1, cost_usd: 0 } });
    expect(body.results[0].labels.map((l: { label: string }) => l.label).sort()).toEqual(['account', 'billing', 'shipping']);
    expect(body.results[0].labels[0]).toMatchObject({ label: 'shipping' });
    expect(body.results[0].labels[0].score).toBeGreaterThanOrEqual(TRAINED_CASCADE_THRESHOLD);
    const sum = body.results[0].labels.reduce((total: number, l: { score: number }) => total + l.score, 0);
    expect(sum).toBeCloseTo(1, 3);
    expect(await aiCallsFor(text)).toBe(0);

    const again = await classifyWith(tenant.auth, id, text);
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect((await json(again)).results).toEqual(body.results);

    const events = await eventually(() => usageForTenant(env.DB, tenant.id), (rows) => rows.length >= 2);
    expect(events.map((e) => [e.task, e.provider, e.model, e.cost_usd, e.cache_status])).toEqual([
      ['classify', 'local', `${id}@v1`, 0, 'MISS'],
      ['classify', 'local', `${id}@v1`, 0, 'HIT'],
    ]);
  });

  it('escalates a text it is unsure of to the neural zero-shot classifier, with the same labels', async () => {
    const tenant = await createTenant();
    const { id } = await trainedClassifier(tenant.auth);
    // No word the classifier (or the word vectors) knows: its probabilities stay near 1/3, below
    // the threshold. Fixed, not random: a random id's character n-grams could land in a trained bucket.
    const text = 'Zxqv blorf wuzzle';
    const response = await classifyWith(tenant.auth, id, text);
    const body = await json(response);
    expect(response.status).toBe(200);
    expect(body.provider).toBe('workers-ai');
    expect(body.cascade).toEqual({ threshold: TRAINED_CASCADE_THRESHOLD, answered: [{ provider: 'workers-ai', items: 1, reason: `local confidence < ${TRAINED_CASCADE_THRESHOLD}` }] });
    expect(body.results[0].labels.map((l: { label: string }) => l.label).sort()).toEqual(['account', 'billing', 'shipping']);
    expect(body.usage.cost_usd).toBeGreaterThan(0);
    expect(await aiCallsFor(text)).toBe(1);
  });

  it('admission reserves enough for an escalation before it knows the classifier’s labels', async () => {
    const input = { text: 'where is my parcel', classifier: 'clf_anyClassifier1', multi_label: false };
    const reserved = estimateCost(env, classifyTask, input);
    const fiftyLabels = Array.from({ length: 50 }, (_, l) => `${'label '.repeat(16)}${l}`.slice(0, 100));
    const escalated = estimateCost(env, classifyTask, { text: input.text, labels: fiftyLabels, multi_label: false });
    expect(reserved.usd).toBeGreaterThanOrEqual(escalated.usd);
    expect(reserved.usd).toBeGreaterThan(0);
  });

  it('follows the tenant’s own classify cascade threshold', async () => {
    const tenant = await createTenant();
    await configureTask(tenant.id, 'classify', { providers: ['local', 'workers-ai'], cascade: { threshold: 0.99 } });
    const { id } = await trainedClassifier(tenant.auth);
    const text = 'the courier never came and my package tracking has not moved';
    const body = await json(await classifyWith(tenant.auth, id, text));
    expect(body.cascade.threshold).toBe(0.99);
    expect(body.provider).toBe('workers-ai');
  });

  it('answers with the classifier even when the tenant picked another local model for zero-shot classify', async () => {
    const tenant = await createTenant();
    await configureTask(tenant.id, 'classify', { providers: ['workers-ai', 'local'], models: { local: 'minnow/semantic-zero-shot-en' } });
    const { id } = await trainedClassifier(tenant.auth);
    // Fixed (see the first classify test), and its own: aiCallsFor counts calls per text.
    const text = 'my parcel tracking has not moved and the courier never came';
    const body = await json(await classifyWith(tenant.auth, id, text));
    expect(body).toMatchObject({ provider: 'local', model: `${id}@v1`, cascade: { threshold: TRAINED_CASCADE_THRESHOLD } });
    expect(await aiCallsFor(text)).toBe(0);
  });

  it('retraining makes version 2; version 1 answers until it is ready', async () => {
    const tenant = await createTenant();
    const { id } = await trainedClassifier(tenant.auth);
    // Version 2 training (as a queued retraining leaves it): version 1 still answers.
    await insertNextVersion(env.DB, tenant.id, id, { status: 'training', labels: ['account', 'billing', 'shipping'], examples: 18, features: 'lexical', metrics: null, error: null, createdAt: new Date().toISOString(), trainedAt: null });
    const during = await json(await classifyWith(tenant.auth, id, PARCEL_TICKET));
    expect(during.model).toBe(`${id}@v1`);
    expect(await json(await call(`/v1/classifiers/${id}`, { headers: tenant.auth }))).toMatchObject({ version: 2, status: 'training', answering_version: 1 });

    // A retraining through the API (a small set: trained in the request) adds a label and answers at once.
    const refunds = ['I want my money back for the broken lamp', 'Please refund my last order', 'How long does a refund take to arrive', 'Return the shoes and refund me'].map((text) => ({ text, label: 'refund' }));
    const retrained = await call(`/v1/classifiers/${id}/versions`, { headers: tenant.auth, body: { examples: [...SUPPORT_EXAMPLES, ...refunds] } });
    const body = await json(retrained);
    expect(retrained.status).toBe(201);
    expect(body).toMatchObject({ version: 3, status: 'ready', answering_version: 3, labels: ['account', 'billing', 'refund', 'shipping'] });
    expect(body.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[3, 'ready'], [2, 'training'], [1, 'ready']]);
    const after = await json(await classifyWith(tenant.auth, id, PARCEL_TICKET));
    expect(after.model).toBe(`${id}@v3`);
    expect(after.results[0].labels).toHaveLength(4);
  });

  it('deletes a classifier with its versions: it then answers 404', async () => {
    const tenant = await createTenant();
    const { id } = await trainedClassifier(tenant.auth);
    const deleted = await call(`/v1/classifiers/${id}`, { method: 'DELETE', headers: tenant.auth });
    expect(await json(deleted)).toEqual({ id, object: 'classifier', deleted: true });
    expect((await call(`/v1/classifiers/${id}`, { headers: tenant.auth })).status).toBe(404);
    const classify = await classifyWith(tenant.auth, id, 'where is my parcel');
    expect(classify.status).toBe(404);
    expect((await json(classify)).error).toMatchObject({ code: 'classifier_not_found', param: 'classifier' });
    expect(await env.CACHE.get(`clf-model:${tenant.id}:${id}:1`)).toBeNull();
  });
});

describe('tenant-trained classifiers: who may use them', () => {
  it('keeps each tenant’s classifiers to itself: another tenant’s id is 404 everywhere', async () => {
    const owner = await createTenant();
    const other = await createTenant();
    const { id } = await trainedClassifier(owner.auth);
    for (const response of [
      await classifyWith(other.auth, id, 'where is my parcel'),
      await call(`/v1/classifiers/${id}`, { headers: other.auth }),
      await call(`/v1/classifiers/${id}`, { method: 'DELETE', headers: other.auth }),
      await call(`/v1/classifiers/${id}/versions`, { headers: other.auth, body: { examples: SUPPORT_EXAMPLES } }),
    ]) {
      expect(response.status).toBe(404);
      expect((await json(response)).error.code).toBe('classifier_not_found');
    }
    expect((await json(await call('/v1/classifiers', { headers: other.auth }))).data).toEqual([]);
    // The owner's classifier is untouched.
    expect(await json(await call(`/v1/classifiers/${id}`, { headers: owner.auth }))).toMatchObject({ version: 1, status: 'ready' });
  });

  it('lets a publishable key classify with a classifier, not create, list, retrain or delete one', async () => {
    const tenant = await createTenant();
    const { id } = await trainedClassifier(tenant.auth);
    const issued = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'publishable', origins: ['https://shop.example'] } }));
    const browser = { authorization: `Bearer ${issued.key}`, origin: 'https://shop.example' };
    const classified = await classifyWith(browser, id, PARCEL_TICKET);
    expect(classified.status).toBe(200);
    expect((await json(classified)).model).toBe(`${id}@v1`);
    for (const response of [
      await call('/v1/classifiers', { headers: browser, body: { name: 'x', examples: SUPPORT_EXAMPLES } }),
      await call('/v1/classifiers', { headers: browser }),
      await call(`/v1/classifiers/${id}/versions`, { headers: browser, body: { examples: SUPPORT_EXAMPLES } }),
      await call(`/v1/classifiers/${id}`, { method: 'DELETE', headers: browser }),
    ]) {
      expect(response.status).toBe(403);
      expect((await json(response)).error.code).toBe('secret_key_required');
    }
  });
});
