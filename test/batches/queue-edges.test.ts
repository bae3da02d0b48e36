import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import type { BatchChunkMessage } from '../../src/contracts/queue-messages';
import { getBatchById } from '../../src/storage/batches';
import { ADMIN, call, createTenant, json, eventually } from '../support/api';
import { deliver } from '../support/queue';
import { results, storedBatch } from './support';

describe('batch queue edges', () => {
  it('a chunk that failed every retry fails its items and the batch goes on to the end', async () => {
    const tenant = await createTenant();
    const id = await storedBatch(tenant, 60);
    const acked = await deliver('minnow-jobs-dlq', [{ kind: 'batch.chunk', batchId: id, tenantId: tenant.id, seq: 0, deferrals: 0 }], 6);
    expect(acked.explicitAcks).toHaveLength(1);
    const done = await eventually(() => getBatchById(env.DB, id), (batch) => batch?.status === 'completed');
    expect(done).toMatchObject({ succeeded: 10, failed: 50, next_chunk: 2 });
    const { lines } = await results(tenant, id);
    expect(lines).toHaveLength(60);
    expect(lines[0]).toMatchObject({ index: 0, status: 'failed', error: { code: 'internal_error', request_id: `${id}.0` } });
    expect(lines[59]).toMatchObject({ index: 59, status: 'succeeded' });
  });

  it('a redelivered chunk is not counted twice', async () => {
    const tenant = await createTenant();
    const id = await storedBatch(tenant, 60);
    const message: BatchChunkMessage = { kind: 'batch.chunk', batchId: id, tenantId: tenant.id, seq: 0, deferrals: 0 };
    await deliver('minnow-jobs', [message]);
    const done = await eventually(() => getBatchById(env.DB, id), (batch) => batch?.status === 'completed');
    expect(done).toMatchObject({ succeeded: 60, failed: 0 });
    await deliver('minnow-jobs', [message], 2);
    expect(await getBatchById(env.DB, id)).toMatchObject({ succeeded: 60, failed: 0, cost_usd: done!.cost_usd });
    const count = await env.DB.prepare('SELECT COUNT(*) AS n FROM batch_results WHERE batch_id = ?').bind(id).first<{ n: number }>();
    expect(count!.n).toBe(60);
  });

  it('the scheduled handler re-queues a batch whose message was lost, and prunes ended batches past retention', async () => {
    const tenant = await createTenant();
    const lost = await storedBatch(tenant, 3);
    await env.DB.prepare('UPDATE batches SET updated_at = ? WHERE id = ?').bind(new Date(Date.now() - 20 * 60_000).toISOString(), lost).run();
    const old = await storedBatch(tenant, 1);
    await env.DB.prepare("UPDATE batches SET status = 'completed', finished_at = ? WHERE id = ?").bind(new Date(Date.now() - 31 * 86_400_000).toISOString(), old).run();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: '*/15 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await eventually(() => getBatchById(env.DB, lost), (batch) => batch?.status === 'completed')).toMatchObject({ succeeded: 3 });
    expect(await getBatchById(env.DB, old)).toBeNull();
    expect((await call(`/v1/batches/${old}`, { headers: tenant.auth })).status).toBe(404);
  });

  it('revoking the key that created a batch stops it: the remaining items fail with 401', async () => {
    const tenant = await createTenant();
    const other = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'secret' } }));
    const id = await storedBatch(tenant, 120);
    expect((await call(`/admin/keys/${tenant.keyId}`, { method: 'DELETE', headers: ADMIN })).status).toBe(200);
    await deliver('minnow-jobs', [{ kind: 'batch.chunk', batchId: id, tenantId: tenant.id, seq: 0, deferrals: 0 }]);
    expect(await getBatchById(env.DB, id)).toMatchObject({ status: 'completed', succeeded: 0, failed: 120 });
    // The tenant's other key still reads it.
    const { lines } = await results({ ...tenant, auth: { authorization: `Bearer ${other.key}` } }, id);
    expect(lines).toHaveLength(120);
    for (const line of lines) expect(line.error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key', message: expect.stringContaining('revoked') });
  });

  it('refuses a 26th batch while 25 are queued or running, naming the limit', async () => {
    const tenant = await createTenant();
    for (let i = 0; i < 25; i++) await storedBatch(tenant, 1);
    const refused = await call('/v1/batches', { headers: tenant.auth, body: { task: 'sentiment', inputs: [{ text: 'one more' }] } });
    expect(refused.status).toBe(429);
    expect((await json(refused)).error).toMatchObject({ type: 'rate_limit_error', code: 'too_many_active_batches', message: expect.stringContaining('25') });
    expect(refused.headers.get('retry-after')).toBe('60');
  });
});
