import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { ClassifierTrainMessage } from '../../src/contracts/queue-messages';
import { findClassifier, insertClassifier, putPendingExamples } from '../../src/storage/classifiers';
import { createTenant } from '../support/api';
import { deliver } from '../support/queue';
import { SUPPORT_EXAMPLES } from './support';

/** A classifier whose version 1 waits on the queue, stored directly (no consumer has seen it). */
async function waitingClassifier(tenantId: string, id: string) {
  const now = new Date().toISOString();
  await insertClassifier(env.DB, { id, tenantId, name: 'queued', createdAt: now, updatedAt: now }, { version: 1, status: 'training', labels: ['account', 'billing', 'shipping'], examples: 18, features: 'lexical', metrics: null, error: null, createdAt: now, trainedAt: null });
  return { kind: 'classifier.train', tenantId, classifierId: id, version: 1, features: 'lexical' } satisfies ClassifierTrainMessage;
}

describe('classifier training on the JOBS queue: edges', () => {
  it('trains a waiting version, acks, and forgets its parked examples; a redelivery changes nothing', async () => {
    const tenant = await createTenant();
    const message = await waitingClassifier(tenant.id, 'clf_queueEdgeTrain1');
    await putPendingExamples(env.CACHE, tenant.id, message.classifierId, 1, SUPPORT_EXAMPLES);
    expect((await deliver('minnow-jobs', [message])).explicitAcks).toEqual(['m0']);
    const trained = await findClassifier(env.DB, tenant.id, message.classifierId);
    expect(trained!.versions[0]).toMatchObject({ status: 'ready', features: 'lexical', metrics: { folds: 5 } });
    expect(await env.CACHE.get(`clf-examples:${tenant.id}:${message.classifierId}:1`)).toBeNull();
    const trainedAt = trained!.versions[0]!.trainedAt;
    expect((await deliver('minnow-jobs', [message])).explicitAcks).toEqual(['m0']);
    expect((await findClassifier(env.DB, tenant.id, message.classifierId))!.versions[0]!.trainedAt).toBe(trainedAt);
  });

  it('fails a version whose parked examples expired, saying so', async () => {
    const tenant = await createTenant();
    const message = await waitingClassifier(tenant.id, 'clf_queueEdgeExpired');
    expect((await deliver('minnow-jobs', [message])).explicitAcks).toEqual(['m0']);
    expect((await findClassifier(env.DB, tenant.id, message.classifierId))!.versions[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('expired') });
  });

  it('the dead-letter consumer marks the version failed, so the classifier does not stay "training" forever', async () => {
    const tenant = await createTenant();
    const message = await waitingClassifier(tenant.id, 'clf_queueEdgeDead01');
    expect((await deliver('minnow-jobs-dlq', [message])).explicitAcks).toEqual(['m0']);
    expect((await findClassifier(env.DB, tenant.id, message.classifierId))!.versions[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('every retry') });
  });

  it('does nothing for a message naming another tenant’s classifier', async () => {
    const owner = await createTenant();
    const other = await createTenant();
    const message = await waitingClassifier(owner.id, 'clf_queueEdgeOwner1');
    await putPendingExamples(env.CACHE, owner.id, message.classifierId, 1, SUPPORT_EXAMPLES);
    expect((await deliver('minnow-jobs', [{ ...message, tenantId: other.id }])).explicitAcks).toEqual(['m0']);
    expect((await findClassifier(env.DB, owner.id, message.classifierId))!.versions[0]!.status).toBe('training');
  });
});
