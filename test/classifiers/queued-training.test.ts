import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, createTenant, eventually, json } from '../support/api';
import { classifyWith, createClassifier, largeSet, trainedClassifier } from './support';

const classifier = (auth: Record<string, string>, id: string) => call(`/v1/classifiers/${id}`, { headers: auth }).then((response) => json(response));

describe('tenant-trained classifiers: large sets train on the queue', () => {
  it('queues a large set (202, training), trains it on the JOBS queue, then answers', async () => {
    const tenant = await createTenant();
    const examples = largeSet(400);
    const response = await createClassifier(tenant.auth, { name: 'big', examples });
    const created = await json(response);
    expect(response.status).toBe(202);
    expect(created).toMatchObject({ version: 1, status: 'training', metrics: null, answering_version: null, labels: ['billing', 'shipping'] });
    const ready = await eventually(() => classifier(tenant.auth, created.id), (body) => body.status !== 'training', 200);
    expect(ready).toMatchObject({ version: 1, status: 'ready', answering_version: 1 });
    expect(ready.versions[0].examples).toBe(800);
    expect(ready.metrics.folds).toBe(5);
    expect(ready.metrics.cross_validated_accuracy).toBeGreaterThan(0.9);
    // The parked training set is gone once trained.
    expect(await env.CACHE.get(`clf-examples:${tenant.id}:${created.id}:1`)).toBeNull();
    const answer = await json(await classifyWith(tenant.auth, created.id, 'A question about the courier of my order'));
    expect(answer).toMatchObject({ provider: 'local', model: `${created.id}@v1` });
    expect(answer.results[0].labels[0].label).toBe('shipping');
  });

  it('a queued retraining leaves the previous version answering until it is ready', async () => {
    const tenant = await createTenant();
    const { id } = await trainedClassifier(tenant.auth);
    const retrained = await call(`/v1/classifiers/${id}/versions`, { headers: tenant.auth, body: { examples: largeSet(300) } });
    const body = await json(retrained);
    expect(retrained.status).toBe(202);
    expect(body).toMatchObject({ version: 2, status: 'training', answering_version: 1 });
    const ready = await eventually(() => classifier(tenant.auth, id), (current) => current.answering_version === 2, 200);
    expect(ready.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([[2, 'ready'], [1, 'ready']]);
    const answer = await json(await classifyWith(tenant.auth, id, 'A question about the invoice this month'));
    expect(answer.model).toBe(`${id}@v2`);
    expect(answer.results[0].labels.map((l: { label: string }) => l.label).sort()).toEqual(['billing', 'shipping']);
  });
});
