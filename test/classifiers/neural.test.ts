import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../src/pipeline/run-task';
import { estimateTokens } from '../../src/providers/pricing';
import { readClassifierModel } from '../../src/storage/classifiers';
import { usageForTenant } from '../../src/storage/usage';
import { classifyTask } from '../../src/tasks/classify/task';
import { embedModel, HF_EMBED_MODEL, WORKERS_AI_EMBED_MODEL } from '../../src/tasks/embed/models';
import { embedTask } from '../../src/tasks/embed/task';
import { ADMIN, aiCallsFor, call, configureTask, createTenant, eventually, hfCallsFor, json } from '../support/api';
import { classifyWith, createClassifier, SUPPORT_EXAMPLES } from './support';

// features: "neural" trains on the tenant's embedding model's vectors. Here that model is the
// Workers AI stand-in (test/fakes/ai-models): deterministic bag-of-words vectors, not a model, so
// these tests check the plumbing (embedded through the pipeline, metered, answered with the same
// model), never accuracy.
const neuralClassifier = async (auth: Record<string, string>, examples = SUPPORT_EXAMPLES) => {
  const response = await createClassifier(auth, { name: 'support-neural', examples, features: 'neural' });
  return { status: response.status, body: await json(response) };
};

describe('tenant-trained classifiers on neural embeddings (features: "neural")', () => {
  it('embeds the examples with the tenant’s embedding model through the embed pipeline, metered, and reports what it cost', async () => {
    const tenant = await createTenant();
    const { status, body } = await neuralClassifier(tenant.auth);
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: 'ready', answering_version: 1, labels: ['account', 'billing', 'shipping'] });
    expect(body.versions[0]).toMatchObject({ version: 1, status: 'ready', features: 'lexical+neural', examples: 18 });
    // Priced like any embed call of the same texts: bge-small's published price per token.
    const price = embedModel(WORKERS_AI_EMBED_MODEL)!.price.usd_per_million;
    const tokens = SUPPORT_EXAMPLES.reduce((sum, example) => sum + estimateTokens(example.text), 0);
    expect(body.training_usage).toMatchObject({ embedding_model: WORKERS_AI_EMBED_MODEL, embedded_texts: 18 });
    expect(body.training_usage.cost_usd).toBeCloseTo((tokens * price) / 1e6, 9);
    expect(body.training_usage.neurons).toBeGreaterThan(0);
    // The stored weights name the model they fit, and GET shows the version without the one-off usage.
    const model = await readClassifierModel(env.CACHE, tenant.id, body.id, 1);
    expect(model).toMatchObject({ denseModel: WORKERS_AI_EMBED_MODEL, denseDims: 384 });
    // No familiarity centroids: those are for the local word vectors a neural version does not read.
    expect(model!.centroids).toBeUndefined();
    const got = await json(await call(`/v1/classifiers/${body.id}`, { headers: tenant.auth }));
    expect(got.training_usage).toBeUndefined();
    expect(got.versions[0].features).toBe('lexical+neural');
    // Each embedding step is a usage event of its own, on the embed task.
    const events = await eventually(() => usageForTenant(env.DB, tenant.id), (rows) => rows.length >= 1);
    expect(events.map((e) => [e.task, e.provider, e.model])).toEqual([['embed', 'workers-ai', WORKERS_AI_EMBED_MODEL]]);
    expect(events[0]!.cost_usd).toBeCloseTo(body.training_usage.cost_usd, 9);
  });

  it('classifies by embedding the text with the same model: answered on that provider, billed as that embedding, cached, never escalated', async () => {
    const tenant = await createTenant();
    const { body: created } = await neuralClassifier(tenant.auth);
    const text = 'the courier lost my parcel and the tracking has not moved 4417';
    const response = await classifyWith(tenant.auth, created.id, text);
    const body = await json(response);
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ provider: 'workers-ai', model: `${created.id}@v1`, cached: false, usage: { items: 1 } });
    expect(body.cascade).toBeUndefined();
    expect(body.results[0].labels[0].label).toBe('shipping');
    expect(body.results[0].labels.reduce((sum: number, l: { score: number }) => sum + l.score, 0)).toBeCloseTo(1, 3);
    expect(body.usage.cost_usd).toBeCloseTo((estimateTokens(text) * embedModel(WORKERS_AI_EMBED_MODEL)!.price.usd_per_million) / 1e6, 9);
    expect(await aiCallsFor(text)).toBe(1);
    const again = await classifyWith(tenant.auth, created.id, text);
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect(await aiCallsFor(text)).toBe(1);
    // Admission's reservation for a classify call (made before the classifier is read) covers this embedding.
    expect(estimateCost(env, classifyTask, { text, classifier: created.id, multi_label: false }).usd).toBeGreaterThanOrEqual(estimateCost(env, embedTask, { text: [text] }).usd);
  });

  it('trains on and answers with whichever embedding model the tenant’s embed plan runs first (Hugging Face here)', async () => {
    const tenant = await createTenant();
    await configureTask(tenant.id, 'embed', { providers: ['huggingface', 'local'] });
    const { status, body } = await neuralClassifier(tenant.auth);
    expect(status).toBe(201);
    expect(body.training_usage.embedding_model).toBe(HF_EMBED_MODEL);
    expect(await readClassifierModel(env.CACHE, tenant.id, body.id, 1)).toMatchObject({ denseModel: HF_EMBED_MODEL });
    const text = 'my account is locked and the password reset never arrives 9931';
    const answered = await json(await classifyWith(tenant.auth, body.id, text));
    expect(answered).toMatchObject({ provider: 'huggingface', model: `${body.id}@v1` });
    expect(answered.results[0].labels[0].label).toBe('account');
    expect(await hfCallsFor(text)).toBe(1);
    expect(await aiCallsFor(text)).toBe(0);
  });

  it('is priced as its embedding before it runs, even for a tenant whose classify plan is the local tier (it was reserved at $0)', async () => {
    const tenant = await createTenant({ limits: { exact_admission: true } });
    const { body: created } = await neuralClassifier(tenant.auth);
    await configureTask(tenant.id, 'classify', { providers: ['local'] });
    const text = `the courier lost my parcel and the tracking has not moved ${'again and again '.repeat(40)}`;
    const embedding = estimateCost(env, embedTask, { text: [text] }).usd;
    // What is left of the day's budget is less than this text's embedding: refused before any call.
    const budget = created.training_usage.cost_usd + embedding / 2;
    expect((await call(`/admin/tenants/${tenant.id}`, { method: 'PATCH', headers: ADMIN, body: { limits: { daily_budget_usd: budget } } })).status).toBe(200);
    const refused = await classifyWith(tenant.auth, created.id, text);
    expect(refused.status).toBe(402);
    expect(await aiCallsFor(text)).toBe(0);
    // A local classifier of the same tenant is still $0, and admitted under the same budget.
    const local = await json(await call('/v1/classifiers', { headers: tenant.auth, body: { name: 'support-local', examples: SUPPORT_EXAMPLES } }));
    const answered = await classifyWith(tenant.auth, local.id, text);
    expect(answered.status).toBe(200);
    expect((await json(answered)).usage.cost_usd).toBe(0);
  });

  it('is refused, naming `features`, when the tenant has no neural embedding model; nothing is created', async () => {
    const tenant = await createTenant();
    await configureTask(tenant.id, 'embed', { providers: ['local'] });
    const { status, body } = await neuralClassifier(tenant.auth);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'no_neural_embedding_provider', param: 'features' });
    expect(body.error.message).toContain('its embed task runs on: local');
    expect((await json(await call('/v1/classifiers', { headers: tenant.auth }))).data).toEqual([]);
  });

  it('trains only in the request: more than 500 examples are refused, naming `features`', async () => {
    const tenant = await createTenant();
    const examples = Array.from({ length: 501 }, (_, i) => ({ text: `ticket number ${i} about ${i % 2 ? 'billing' : 'shipping'}`, label: i % 2 ? 'billing' : 'shipping' }));
    const { status, body } = await neuralClassifier(tenant.auth, examples);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'invalid_field', param: 'features' });
    expect(body.error.message).toContain('500');
  });

  it('retraining keeps the newest version’s kind unless `features` says otherwise', async () => {
    const tenant = await createTenant();
    const { body: created } = await neuralClassifier(tenant.auth);
    const again = await json(await call(`/v1/classifiers/${created.id}/versions`, { headers: tenant.auth, body: { examples: SUPPORT_EXAMPLES } }));
    expect(again.versions[0]).toMatchObject({ version: 2, features: 'lexical+neural' });
    // The same texts again: every embedding is a cache hit, so the retraining costs nothing.
    expect(again.training_usage).toMatchObject({ embedded_texts: 18, cost_usd: 0 });
    const local = await json(await call(`/v1/classifiers/${created.id}/versions`, { headers: tenant.auth, body: { examples: SUPPORT_EXAMPLES, features: 'local' } }));
    expect(local.versions[0]).toMatchObject({ version: 3, features: 'lexical+word-vectors-100k' });
    expect(local.training_usage).toBeUndefined();
    const answered = await json(await classifyWith(tenant.auth, created.id, 'where is my parcel'));
    expect(answered).toMatchObject({ provider: 'local', model: `${created.id}@v3` });
  });
});
