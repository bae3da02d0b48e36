import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { prepareBatch } from '../../src/batches/prepare';
import type { BatchChunkMessage, JobMessage } from '../../src/contracts/queue-messages';
import { guardFor } from '../../src/durable-objects/tenant-guard/client';
import { estimateCost, resolveTask } from '../../src/pipeline/run-task';
import { getBatchById, insertBatch } from '../../src/storage/batches';
import { classifyTask } from '../../src/tasks/classify/task';
import { embedTask } from '../../src/tasks/embed/task';
import { MAX_JOB_DEFERRALS } from '../../src/webhooks/process-job';
import { ADMIN, aiCallsFor, call, configureTask, createTenant, eventually, json, uniqueText, type TestTenant } from '../support/api';
import { deliver } from '../support/queue';
import { results, settled } from '../batches/support';
import { createHook, deliveries, eventually as eventuallyFor, receiverBucket, STANDARD_SECRET } from '../webhooks/support';
import { createClassifier, SUPPORT_EXAMPLES, trainedClassifier } from './support';

// Batch items and webhook tasks naming a trained classifier are priced as it answers, like the
// single call (test/classifiers/neural.test.ts): a neural-features version calls its embedding
// model (the Workers AI stand-in here) whatever the tenant's classify plan, so a tenant whose
// classify plan is the local tier is reserved that embedding before any call, not only charged it
// after. Every tenant here admits exactly (no lease) and runs classify on the local tier.

/** A long ticket no other test sends: its embedding costs enough to size budgets around. */
const ticket = () => uniqueText(`the courier lost my parcel and the tracking has not moved ${'again and again '.repeat(40)}`);

const spentToday = (tenantId: string) => guardFor(env, tenantId).spentToday();

/** A tenant with a ready neural classifier, classify pinned to the local tier, its training spend settled. */
async function neuralTenant(): Promise<{ tenant: TestTenant; classifier: any; trainingUsd: number }> {
  const tenant = await createTenant({ limits: { exact_admission: true } });
  const response = await createClassifier(tenant.auth, { name: 'support-neural', examples: SUPPORT_EXAMPLES, features: 'neural' });
  const classifier = await json(response);
  expect(response.status).toBe(201);
  await configureTask(tenant.id, 'classify', { providers: ['local'] });
  const trainingUsd = classifier.training_usage.cost_usd;
  expect(trainingUsd).toBeGreaterThan(0);
  expect(await eventually(() => spentToday(tenant.id), (spent) => Math.abs(spent - trainingUsd) < 1e-12)).toBeCloseTo(trainingUsd, 12);
  return { tenant, classifier, trainingUsd };
}

/** What admission reserves for one text the classifier answers: at least that text's embedding. */
async function itemEstimate(tenantId: string, classifierId: string, text: string): Promise<number> {
  const input = { text, classifier: classifierId, multi_label: false };
  const usd = estimateCost(env, await resolveTask(env, tenantId, classifyTask, input), input).usd;
  expect(usd).toBeGreaterThanOrEqual(estimateCost(env, embedTask, { text: [text] }).usd);
  return usd;
}

async function setDailyBudget(tenantId: string, usd: number): Promise<void> {
  expect((await call(`/admin/tenants/${tenantId}`, { method: 'PATCH', headers: ADMIN, body: { limits: { daily_budget_usd: usd } } })).status).toBe(200);
}

describe('batch items naming a neural classifier are priced as it answers', () => {
  it('refuses the batch with 402 when the budget cannot hold the first item’s embedding: nothing stored, nothing called', async () => {
    const { tenant, classifier, trainingUsd } = await neuralTenant();
    const text = ticket();
    await setDailyBudget(tenant.id, trainingUsd + (await itemEstimate(tenant.id, classifier.id, text)) / 2);
    const refused = await call('/v1/batches', { headers: tenant.auth, body: { task: 'classify', options: { classifier: classifier.id }, inputs: [{ text }] } });
    expect(refused.status).toBe(402);
    expect((await json(refused)).error).toMatchObject({ type: 'budget_error', code: 'budget_exhausted' });
    expect((await json(await call('/v1/batches', { headers: tenant.auth }))).data).toEqual([]);
    expect(await aiCallsFor(text)).toBe(0);
  });

  it('reserves each chunk’s embeddings: a chunk the budget cannot hold fails with 402 uncalled; one it can runs and is settled at its cost', async () => {
    const { tenant, classifier, trainingUsd } = await neuralTenant();
    const [first, second, third] = [ticket(), ticket(), ticket()];
    const perItem = Math.max(...(await Promise.all([first, second, third].map((text) => itemEstimate(tenant.id, classifier.id, text)))));
    // Room for one item's embedding, not two: the first item fits (accepted), the chunk of two does not.
    await setDailyBudget(tenant.id, trainingUsd + perItem * 1.5);
    const refused = await json(await call('/v1/batches', { headers: tenant.auth, body: { task: 'classify', options: { classifier: classifier.id }, inputs: [{ text: first }, { text: second }] } }));
    expect(await settled(tenant, refused.id)).toMatchObject({ status: 'completed', counts: { total: 2, failed: 2, succeeded: 0 } });
    for (const line of (await results(tenant, refused.id)).lines) expect(line.error).toMatchObject({ type: 'budget_error', code: 'budget_exhausted' });
    expect(await aiCallsFor(first)).toBe(0);
    expect(await aiCallsFor(second)).toBe(0);

    // One item fits: answered by the classifier on Workers AI, and the budget charged what it cost.
    const created = await json(await call('/v1/batches', { headers: tenant.auth, body: { task: 'classify', items: [{ id: 'only', input: { text: third, classifier: classifier.id } }] } }));
    expect(await settled(tenant, created.id)).toMatchObject({ status: 'completed', counts: { succeeded: 1 } });
    const [line] = (await results(tenant, created.id)).lines;
    expect(line).toMatchObject({ id: 'only', status: 'succeeded', result: { provider: 'workers-ai', model: `${classifier.id}@v1` } });
    expect(await aiCallsFor(third)).toBe(1);
    const cost = line.result.usage.cost_usd;
    expect(cost).toBeGreaterThan(0);
    expect(cost).toBeLessThanOrEqual(perItem);
    expect(await eventually(() => spentToday(tenant.id), (spent) => Math.abs(spent - (trainingUsd + cost)) < 1e-12)).toBeCloseTo(trainingUsd + cost, 12);
  });

  it('refuses a batch naming a classifier the tenant does not have (404) or one still training (409), naming where the item sent it', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const mine = await trainedClassifier(tenant.auth);
    const theirs = await trainedClassifier(other.auth);
    const inItem = await call('/v1/batches', { headers: tenant.auth, body: { task: 'classify', items: [{ input: { text: 'where is my parcel', classifier: mine.id } }, { input: { text: 'refund me', classifier: theirs.id } }] } });
    expect(inItem.status).toBe(404);
    expect((await json(inItem)).error).toMatchObject({ code: 'classifier_not_found', param: 'items.1.input.classifier', message: expect.stringContaining('Item 1') });
    const inOptions = await call('/v1/batches', { headers: tenant.auth, body: { task: 'classify', options: { classifier: 'clf_000000000000nope' }, inputs: [{ text: 'a' }, { text: 'b' }] } });
    expect(inOptions.status).toBe(404);
    expect((await json(inOptions)).error).toMatchObject({ code: 'classifier_not_found', param: 'options.classifier' });
    // A version still training: the 409 the single call gives.
    await env.DB.prepare("UPDATE classifier_versions SET status = 'training' WHERE classifier_id = ?").bind(mine.id).run();
    const training = await call('/v1/batches', { headers: tenant.auth, body: { task: 'classify', inputs: [{ text: 'a', classifier: mine.id }] } });
    expect(training.status).toBe(409);
    expect((await json(training)).error).toMatchObject({ code: 'classifier_training', param: 'inputs.0.classifier' });
    expect((await json(await call('/v1/batches', { headers: tenant.auth }))).data).toEqual([]);
  });
});

/** An env whose D1 counts the classifier lookups (findClassifier's query) made through it. */
function countingClassifierReads(): { bindings: typeof env; reads: () => number } {
  let reads = 0;
  const db = new Proxy(env.DB, {
    get(target, property) {
      if (property === 'prepare') {
        return (sql: string) => {
          if (/^SELECT \* FROM classifiers WHERE id = \?/.test(sql)) reads++;
          return target.prepare(sql);
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { bindings: { ...env, DB: db }, reads: () => reads };
}

describe('a batch reads each classifier it names once', () => {
  it('when created: 120 items naming one classifier read it once', async () => {
    const tenant = await createTenant();
    const classifier = await trainedClassifier(tenant.auth);
    const { bindings, reads } = countingClassifierReads();
    const request = new Request('https://minnow.test/v1/batches', {
      method: 'POST',
      headers: { ...tenant.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ task: 'classify', inputs: Array.from({ length: 120 }, (_, i) => ({ text: `ticket ${i} about my parcel`, classifier: classifier.id })) }),
    });
    const ctx = createExecutionContext();
    const response = await worker.fetch(request, bindings as never, ctx);
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(202);
    expect(reads()).toBe(1);
  });

  it('when a chunk runs: once per classifier per chunk; items naming one deleted since fail with its 404, the rest run', async () => {
    // Classify on the local tier alone: the kept classifier answers every item itself (no escalation).
    const tenant = await createTenant({ providerOrder: { classify: ['local'] } });
    const kept = await trainedClassifier(tenant.auth);
    const deleted = await trainedClassifier(tenant.auth);
    const inputs = Array.from({ length: 50 }, (_, i) => ({ text: `ticket ${i}: where is my parcel`, classifier: i % 5 === 0 ? deleted.id : kept.id }));
    const prepared = prepareBatch({ task: 'classify', inputs });
    expect(prepared.chunks).toHaveLength(1);
    const id = `batch_clf${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
    await insertBatch(env.DB, { id, tenant_id: tenant.id, key_id: tenant.keyId, task: 'classify', total: 50, chunks: 1, idempotency_key: null, request_hash: null, created_at: new Date().toISOString() }, prepared.chunks);
    expect((await call(`/v1/classifiers/${deleted.id}`, { method: 'DELETE', headers: tenant.auth })).status).toBe(200);
    const { bindings, reads } = countingClassifierReads();
    await deliver('minnow-jobs', [{ kind: 'batch.chunk', batchId: id, tenantId: tenant.id, seq: 0, deferrals: 0 } satisfies BatchChunkMessage], 1, bindings);
    expect(reads()).toBe(2);
    expect(await getBatchById(env.DB, id)).toMatchObject({ status: 'completed', succeeded: 40, failed: 10 });
    const { lines } = await results(tenant, id);
    lines.forEach((line, i) => {
      if (i % 5 === 0) expect(line).toMatchObject({ index: i, status: 'failed', error: { code: 'classifier_not_found', param: 'classifier' } });
      else expect(line).toMatchObject({ index: i, status: 'succeeded', result: { provider: 'local', model: `${kept.id}@v1` } });
    });
  });
});

describe('webhook tasks naming a neural classifier are priced as it answers', () => {
  async function classifierHook(tenant: TestTenant, classifierId: string) {
    const bucket = await receiverBucket();
    const hook = await createHook(tenant, {
      name: 'tickets',
      verify: { scheme: 'standard', secret: STANDARD_SECRET },
      tasks: [{ task: 'classify', input: 'text', options: { classifier: classifierId } }],
      destination: { url: bucket.url },
    });
    return { hook, bucket };
  }

  /** Queues a job for the hook as the inbound route would; `deferrals` at the most delivers a refusal instead of deferring it. */
  async function runJob(tenant: TestTenant, hookId: string, text: string, bucket: Awaited<ReturnType<typeof receiverBucket>>): Promise<any> {
    const job: JobMessage = { kind: 'job', jobId: `job_${crypto.randomUUID().slice(0, 16)}`, hookId, tenantId: tenant.id, deliveryKey: `evt_${crypto.randomUUID()}`, payload: { text }, receivedAt: new Date().toISOString(), deferrals: MAX_JOB_DEFERRALS };
    await env.JOBS.send(job);
    await eventuallyFor(() => deliveries(tenant, hookId), (rows) => rows.some((row) => row.job_id === job.jobId && row.status === 'delivered'));
    const received = (await bucket.received()).map((request) => JSON.parse(request.body)).find((body) => body.job_id === job.jobId);
    expect(received).toBeDefined();
    return received.results;
  }

  it('refuses the job for budget when the budget cannot hold the embedding: the classifier is never called', async () => {
    const { tenant, classifier, trainingUsd } = await neuralTenant();
    const text = ticket();
    await setDailyBudget(tenant.id, trainingUsd + (await itemEstimate(tenant.id, classifier.id, text)) / 2);
    const { hook, bucket } = await classifierHook(tenant, classifier.id);
    const delivered = await runJob(tenant, hook.id, text, bucket);
    expect(delivered.classify.error).toMatchObject({ code: 'budget_exhausted' });
    expect(await aiCallsFor(text)).toBe(0);
  });

  it('reserves the embedding, runs the classifier on Workers AI, and settles at what it cost', async () => {
    const { tenant, classifier, trainingUsd } = await neuralTenant();
    const text = ticket();
    await setDailyBudget(tenant.id, trainingUsd + (await itemEstimate(tenant.id, classifier.id, text)) * 1.5);
    const { hook, bucket } = await classifierHook(tenant, classifier.id);
    const delivered = await runJob(tenant, hook.id, text, bucket);
    expect(delivered.classify).toMatchObject({ task: 'classify', provider: 'workers-ai', model: `${classifier.id}@v1`, results: [{ labels: expect.any(Array) }] });
    expect(await aiCallsFor(text)).toBe(1);
    const cost = delivered.classify.usage.cost_usd;
    expect(cost).toBeGreaterThan(0);
    expect(await eventually(() => spentToday(tenant.id), (spent) => Math.abs(spent - (trainingUsd + cost)) < 1e-12)).toBeCloseTo(trainingUsd + cost, 12);
  });

  it('answers a task naming a classifier deleted since the hook was saved with its 404, and runs the job’s other tasks', async () => {
    // A hook naming one the tenant does not have is refused when saved (test/webhooks/config.test.ts);
    // one deleted afterwards is found missing when a delivery runs.
    const tenant = await createTenant();
    const mine = await trainedClassifier(tenant.auth);
    const bucket = await receiverBucket();
    const hook = await createHook(tenant, {
      name: 'tickets',
      verify: { scheme: 'standard', secret: STANDARD_SECRET },
      tasks: [{ task: 'classify', input: 'text', options: { classifier: mine.id } }, { task: 'language', input: 'text' }],
      destination: { url: bucket.url },
    });
    expect((await call(`/v1/classifiers/${mine.id}`, { method: 'DELETE', headers: tenant.auth })).status).toBeLessThan(300);
    const delivered = await runJob(tenant, hook.id, 'where is my parcel, it was due on Tuesday', bucket);
    expect(delivered.classify.error).toMatchObject({ code: 'classifier_not_found', param: 'classifier' });
    expect(delivered.language).toMatchObject({ task: 'language', results: [expect.any(Object)] });
  });
});
