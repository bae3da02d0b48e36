import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { BatchChunkMessage, IngestMessage, JobMessage, UsageEvent, UsageEventPack } from '../../src/contracts/queue-messages';
import { getBatchById } from '../../src/storage/batches';
import { storedBatch } from '../batches/support';
import { saveDocumentVersion } from '../../src/storage/kb-documents';
import { usageForTenant } from '../../src/storage/usage';
import { resultDeliveryId } from '../../src/webhooks/process-job';
import { call, createTenant, json } from '../support/api';
import { createHook, eventually, receiverBucket, STANDARD_SECRET } from '../webhooks/support';
import { deliver } from '../support/queue';
import { countRows, withFailingStatement, withJobsQueueDown } from './faults';

function usageEvent(tenantId: string, requestId: string): UsageEvent {
  return { request_id: requestId, tenant_id: tenantId, key_id: 'key_x', task: 'sentiment', model: 'm', provider: 'local', cache_status: 'MISS', cascade_step: null, items: 1, cached_items: 0, units: 3, cost_usd: 0.001, baseline_cost_usd: 0.002, neurons: 0, latency_ms: 1, created_at: new Date().toISOString() };
}

describe('queue consumers: a crash mid-batch is retried without a second effect', () => {
  it('usage: a batch with one event D1 refuses writes the others once, and a redelivery adds nothing', async () => {
    const tenantId = `tenant-${crypto.randomUUID()}`;
    const good = Array.from({ length: 5 }, (_, i) => usageEvent(tenantId, `req_${crypto.randomUUID()}_${i}`));
    // Poisoned: a field D1 cannot bind (undefined), which fails the batch's one D1 call.
    const poisoned = { ...usageEvent(tenantId, `req_${crypto.randomUUID()}_bad`), model: undefined } as unknown as UsageEvent;
    // The first two were written by an earlier delivery that died before acknowledging.
    await deliver('minnow-usage', good.slice(0, 2), 1);
    const first = await deliver('minnow-usage', [...good.slice(0, 3), poisoned, ...good.slice(3)], 2);
    expect(first.explicitAcks.sort()).toEqual(['m0', 'm1', 'm2', 'm4', 'm5']);
    expect(first.retryMessages.map((retried: { msgId: string }) => retried.msgId)).toEqual(['m3']);
    const again = await deliver('minnow-usage', good, 3);
    expect(again.ackAll).toBe(true);
    const rows = await usageForTenant(env.DB, tenantId);
    expect(rows.map((row) => row.request_id).sort()).toEqual(good.map((event) => event.request_id).sort());
  });

  it('usage packs: a returned lease\'s events in one message are each written once; a pack with a bad event is retried whole, then only that event is kept dead', async () => {
    const tenantId = `tenant-${crypto.randomUUID()}`;
    const events = Array.from({ length: 150 }, (_, i) => usageEvent(tenantId, `req_${crypto.randomUUID()}_${i}`));
    const pack = (part: UsageEvent[]): UsageEventPack => ({ kind: 'usage.pack', events: part });
    // A pack and a single event in one delivery, as the guard's outbox and the per-request path send them.
    const first = await deliver('minnow-usage', [pack(events.slice(0, 100)), events[100]!, pack(events.slice(101, 149))], 1);
    expect(first.ackAll).toBe(true);
    const again = await deliver('minnow-usage', [pack(events.slice(0, 149))], 2);
    expect(again.ackAll).toBe(true);
    expect((await usageForTenant(env.DB, tenantId)).map((row) => row.request_id).sort()).toEqual(events.slice(0, 149).map((e) => e.request_id).sort());

    // A field missing (not merely unbindable): refused, not skipped as a duplicate would be.
    const { model: _dropped, ...missingModel } = usageEvent(tenantId, `req_${crypto.randomUUID()}_bad`);
    const poisoned = pack([events[149]!, missingModel as UsageEvent]);
    const refused = await deliver('minnow-usage', [poisoned], 1);
    expect(refused.retryMessages.map((retried: { msgId: string }) => retried.msgId)).toEqual(['m0']);
    const dead = await deliver('minnow-usage-dlq', [poisoned], 1);
    expect(dead.explicitAcks).toEqual(['m0']);
    expect((await usageForTenant(env.DB, tenantId)).map((row) => row.request_id)).toContain(events[149]!.request_id);
    const kept = await env.DB.prepare('SELECT message_id, request_id FROM usage_dead_letters WHERE tenant_id = ?').bind(tenantId).all<{ message_id: string; request_id: string }>();
    expect(kept.results).toEqual([{ message_id: 'm0#1', request_id: missingModel.request_id }]);
  });

  it('usage dead letters: written if D1 takes them now, else kept verbatim with the reason, never dropped', async () => {
    const tenantId = `tenant-${crypto.randomUUID()}`;
    const late = usageEvent(tenantId, `req_${crypto.randomUUID()}_late`);
    const poisoned = { ...usageEvent(tenantId, `req_${crypto.randomUUID()}_bad`), model: undefined } as unknown as UsageEvent;
    const result = await deliver('minnow-usage-dlq', [late, poisoned], 1);
    expect(result.explicitAcks.sort()).toEqual(['m0', 'm1']);
    expect((await usageForTenant(env.DB, tenantId)).map((row) => row.request_id)).toEqual([late.request_id]);
    const kept = await env.DB.prepare('SELECT request_id, body, error FROM usage_dead_letters WHERE tenant_id = ?').bind(tenantId).all<{ request_id: string; body: string; error: string }>();
    expect(kept.results).toHaveLength(1);
    expect(kept.results[0]).toMatchObject({ request_id: poisoned.request_id, error: expect.stringMatching(/\S/) });
    expect(JSON.parse(kept.results[0]!.body).request_id).toBe(poisoned.request_id);
  });

  it('ingest: a crash after the chunks are written re-embeds on retry without doubling chunks or keyword rows', async () => {
    const tenant = await createTenant();
    const kb = await json(await call('/v1/kb', { headers: tenant.auth, body: { name: 'Manuals', embedding: 'local' } }));
    const text = Array.from({ length: 60 }, (_, i) => `Section ${i}. Model Z${i} keeps its warranty for ${i + 1} months with the receipt.`).join('\n\n');
    const id = `doc_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const contentHash = `hash${crypto.randomUUID().replace(/-/g, '')}`;
    await saveDocumentVersion(env.DB, { id, tenantId: tenant.id, kbId: kb.id, sourceKey: `title:Manual ${id}`, title: 'Manual', url: null, format: 'text', metadata: {}, contentHash, text });
    const message: IngestMessage = { kind: 'kb.ingest', tenantId: tenant.id, kbId: kb.id, documentId: id, contentHash, keyId: tenant.keyId, requestId: `req_${crypto.randomUUID()}` };

    // First delivery: the chunks and their keyword rows land, then activating the version fails.
    const crashed = await deliver('minnow-ingest', [message], 1, withFailingStatement(/SET live_hash/));
    expect(crashed.retryMessages).toHaveLength(1);
    const chunks = await countRows('SELECT COUNT(*) AS n FROM kb_chunks WHERE document_id = ?', id);
    expect(chunks).toBeGreaterThan(5);

    const retried = await deliver('minnow-ingest', [message], 2);
    expect(retried.explicitAcks).toEqual(['m0']);
    const redelivered = await deliver('minnow-ingest', [message], 3);
    expect(redelivered.explicitAcks).toEqual(['m0']);
    expect(await countRows('SELECT COUNT(*) AS n FROM kb_chunks WHERE document_id = ?', id)).toBe(chunks);
    expect(await countRows('SELECT COUNT(*) AS n FROM kb_chunks_fts WHERE chunk_id LIKE ?', `${id}:%`)).toBe(chunks);
    expect(await env.DB.prepare('SELECT status, chunks FROM kb_documents WHERE id = ?').bind(id).first()).toEqual({ status: 'ready', chunks });
  });

  it('webhook jobs: a job that dies after creating its delivery is retried into exactly one delivery', async () => {
    const tenant = await createTenant();
    const bucket = await receiverBucket();
    const hook = await createHook(tenant, { name: 'tickets', verify: { scheme: 'standard', secret: STANDARD_SECRET }, tasks: [{ task: 'language', input: 'text' }], destination: { url: bucket.url } });
    const job: JobMessage = { kind: 'job', jobId: `job_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`, hookId: hook.id, tenantId: tenant.id, deliveryKey: 'evt_crash', payload: { text: 'Bonjour, ma commande est en retard' }, receivedAt: new Date().toISOString(), deferrals: 0 };

    // The delivery row is written, then queueing its first attempt fails: the job is retried.
    const crashed = await deliver('minnow-jobs', [job], 1, withJobsQueueDown());
    expect(crashed.retryMessages).toHaveLength(1);
    expect(await countRows('SELECT COUNT(*) AS n FROM webhook_deliveries WHERE job_id = ?', job.jobId)).toBe(1);

    // The retry, and a stray redelivery of the same job after it succeeded.
    expect((await deliver('minnow-jobs', [job], 2)).explicitAcks).toEqual(['m0']);
    const received = await eventually(() => bucket.received(), (requests) => requests.length >= 1);
    expect((await deliver('minnow-jobs', [job], 3)).explicitAcks).toEqual(['m0']);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await bucket.received()).toHaveLength(1);
    expect(received[0]!.headers['webhook-id']).toBe(resultDeliveryId(job.jobId));
    expect(await countRows('SELECT COUNT(*) AS n FROM webhook_deliveries WHERE job_id = ?', job.jobId)).toBe(1);
    // Each task of the job is metered once, whatever the deliveries.
    const usage = await eventually(() => usageForTenant(env.DB, tenant.id), (rows) => rows.length >= 1);
    expect(usage.filter((row) => row.request_id === `${job.jobId}.language`)).toHaveLength(1);
  });

  it('batch chunks: a chunk recorded before the next one could be queued is retried into the next chunk, counted once', async () => {
    const tenant = await createTenant();
    const id = await storedBatch(tenant, 60);
    const first: BatchChunkMessage = { kind: 'batch.chunk', batchId: id, tenantId: tenant.id, seq: 0, deferrals: 0 };

    // Chunk 0 runs and is recorded, then queueing chunk 1 fails: the message is retried.
    const crashed = await deliver('minnow-jobs', [first], 1, withJobsQueueDown());
    expect(crashed.retryMessages).toHaveLength(1);
    expect(await getBatchById(env.DB, id)).toMatchObject({ status: 'in_progress', next_chunk: 1, succeeded: 50 });

    // The retry does not run chunk 0 again; it queues chunk 1, and the batch finishes.
    expect((await deliver('minnow-jobs', [first], 2)).explicitAcks).toEqual(['m0']);
    const done = await eventually(() => getBatchById(env.DB, id), (batch) => batch?.status === 'completed');
    expect(done).toMatchObject({ succeeded: 60, failed: 0 });
    expect(await countRows('SELECT COUNT(*) AS n FROM batch_results WHERE batch_id = ?', id)).toBe(60);
    const usage = await eventually(() => usageForTenant(env.DB, tenant.id), (rows) => rows.filter((row) => row.request_id.startsWith(`${id}.`)).length >= 60);
    expect(usage.filter((row) => row.request_id.startsWith(`${id}.`))).toHaveLength(60);
  });
});
