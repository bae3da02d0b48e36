import { describe, expect, it } from 'vitest';
import { insertClassifier } from '../../src/storage/classifiers';
import { env } from 'cloudflare:test';
import { call, createTenant, json } from '../support/api';
import { classifyWith, createClassifier, SUPPORT_EXAMPLES } from './support';

async function refused(response: Response, status: number, code: string, param: string) {
  const body = await json(response);
  expect(response.status).toBe(status);
  expect(body.error).toMatchObject({ code, param });
  return body.error.message as string;
}

describe('tenant-trained classifiers: bad input gets one error shape, naming what was wrong', () => {
  it('refuses a label with fewer than 3 examples, naming it and its count', async () => {
    const tenant = await createTenant();
    const examples = [...SUPPORT_EXAMPLES, { text: 'I want my money back', label: 'refund' }, { text: 'Refund my order please', label: 'refund' }];
    const message = await refused(await createClassifier(tenant.auth, { name: 'x', examples }), 400, 'too_few_examples', 'examples');
    expect(message).toContain('"refund" (2)');
    expect(message).toContain('at least 3');
  });

  it('refuses one text under two labels, naming the text and both labels', async () => {
    const tenant = await createTenant();
    // The same text up to case and spacing is the same text.
    const examples = [...SUPPORT_EXAMPLES, { text: 'where is  my PARCEL? It was due on Tuesday', label: 'billing' }];
    const message = await refused(await createClassifier(tenant.auth, { name: 'x', examples }), 400, 'conflicting_examples', `examples.${SUPPORT_EXAMPLES.length}.label`);
    expect(message).toContain('"shipping" (examples.6)');
    expect(message).toContain(`"billing" (examples.${SUPPORT_EXAMPLES.length})`);
    expect(message).toContain('where is  my PARCEL?');
  });

  it('refuses too many labels, and too few', async () => {
    const tenant = await createTenant();
    const many = Array.from({ length: 51 }, (_, l) => [0, 1, 2].map((i) => ({ text: `ticket ${i} of queue ${l}`, label: `queue-${l}` }))).flat();
    expect(await refused(await createClassifier(tenant.auth, { name: 'x', examples: many }), 400, 'too_many_labels', 'examples')).toContain('51 labels');
    const one = SUPPORT_EXAMPLES.filter((example) => example.label === 'billing');
    await refused(await createClassifier(tenant.auth, { name: 'x', examples: one }), 400, 'too_few_labels', 'examples');
  });

  it('refuses labels that differ only in case, more than 5,000 examples, and empty or overlong fields', async () => {
    const tenant = await createTenant();
    const cased = [...SUPPORT_EXAMPLES, { text: 'Another billing question', label: 'Billing' }];
    await refused(await createClassifier(tenant.auth, { name: 'x', examples: cased }), 400, 'conflicting_labels', `examples.${SUPPORT_EXAMPLES.length}.label`);
    const huge = Array.from({ length: 5_001 }, (_, i) => ({ text: `t${i}`, label: i % 2 ? 'a' : 'b' }));
    await refused(await createClassifier(tenant.auth, { name: 'x', examples: huge }), 400, 'invalid_field', 'examples');
    await refused(await createClassifier(tenant.auth, { name: 'x', examples: [{ text: ' ', label: 'a' }] }), 400, 'invalid_field', 'examples.0.text');
    await refused(await createClassifier(tenant.auth, { name: 'x', examples: [{ text: 'x'.repeat(2_001), label: 'a' }] }), 400, 'invalid_field', 'examples.0.text');
    await refused(await createClassifier(tenant.auth, { name: 'x', examples: [{ text: 'a', label: 'a', weight: 2 }] }), 400, 'unknown_field', 'examples.0.weight');
    await refused(await createClassifier(tenant.auth, { examples: SUPPORT_EXAMPLES }), 400, 'missing_field', 'name');
    // Nothing was created by any of them.
    expect((await json(await call('/v1/classifiers', { headers: tenant.auth }))).data).toEqual([]);
  });

  it('answers 404 for an unknown classifier, and refuses a malformed id or classifier with labels', async () => {
    const tenant = await createTenant();
    await refused(await classifyWith(tenant.auth, 'clf_doesNotExist123', 'where is my parcel'), 404, 'classifier_not_found', 'classifier');
    await refused(await call('/v1/classifiers/clf_doesNotExist123', { headers: tenant.auth }), 404, 'classifier_not_found', 'id');
    await refused(await classifyWith(tenant.auth, 'kb_notAClassifier', 'where is my parcel'), 400, 'invalid_field', 'classifier');
    const both = await call('/v1/classify', { headers: tenant.auth, body: { text: 'x', classifier: 'clf_abc', labels: ['a', 'b'] } });
    await refused(both, 400, 'invalid_field', 'labels');
    const neither = await call('/v1/classify', { headers: tenant.auth, body: { text: 'x' } });
    await refused(neither, 400, 'missing_field', 'labels');
    const multi = await call('/v1/classify', { headers: tenant.auth, body: { text: 'x', classifier: 'clf_abc', multi_label: true } });
    await refused(multi, 400, 'invalid_field', 'multi_label');
  });

  it('answers 409 with its status while a classifier has no ready version', async () => {
    const tenant = await createTenant();
    // Stored directly, so no queue consumer can train it before the request: its only version is training, or failed.
    const now = new Date().toISOString();
    const version = { version: 1, labels: ['billing', 'shipping'], examples: 800, features: 'lexical' as const, metrics: null, createdAt: now, trainedAt: null };
    await insertClassifier(env.DB, { id: 'clf_stillTraining1', tenantId: tenant.id, name: 'big', createdAt: now, updatedAt: now }, { ...version, status: 'training', error: null });
    await insertClassifier(env.DB, { id: 'clf_failedTraining1', tenantId: tenant.id, name: 'broken', createdAt: now, updatedAt: now }, { ...version, status: 'failed', error: 'the queued training set expired before it was trained' });
    const training = await refused(await classifyWith(tenant.auth, 'clf_stillTraining1', 'where is my parcel'), 409, 'classifier_training', 'classifier');
    expect(training).toContain('version 1 is training');
    const failed = await refused(await classifyWith(tenant.auth, 'clf_failedTraining1', 'where is my parcel'), 409, 'classifier_failed', 'classifier');
    expect(failed).toContain('version 1 is failed');
    expect(failed).toContain('expired');
  });
});
