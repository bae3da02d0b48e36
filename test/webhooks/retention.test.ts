import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { getDeliveryById } from '../../src/storage/webhook-deliveries';
import { pruneWebhookData, requeueOverdueDeliveries } from '../../src/webhooks/maintenance';
import { DEFAULT_RETRY_SCHEDULE, parseRetryAfter, retryDelaySeconds, retrySchedule } from '../../src/webhooks/retry-schedule';
import { call, createTenant, json } from '../support/api';
import { createHook, deliveries, eventually, receiverBucket } from './support';
import { emitTenantEvent } from '../../src/tenant-events/emit';

const DAY_MS = 86_400_000;

describe('retention', () => {
  it('prunes settled bodies and receipts past retention; a pruned delivery cannot be replayed (410)', async () => {
    const tenant = await createTenant();
    const bucket = await receiverBucket();
    const hook = await createHook(tenant, { name: 'alerts', destination: { url: bucket.url }, events: ['conversation.handoff'] });
    await emitTenantEvent(env, tenant.id, 'conversation.handoff', { conversation_id: 'cnv_old' });
    const [delivery] = await eventually(() => deliveries(tenant, hook.id), (rows) => rows[0]?.status === 'delivered');
    await env.DB.prepare('INSERT INTO webhook_receipts (hook_id, delivery_key, job_id, state, received_at) VALUES (?, ?, ?, ?, ?)')
      .bind(hook.id, 'a-delivery-id', 'job_someJob', 'queued', new Date().toISOString())
      .run();

    // Seven days later nothing is due yet; eight days later the body and the receipt go.
    expect(await pruneWebhookData(env, Date.now() + 6 * DAY_MS)).toMatchObject({ bodies: 0 });
    expect(await env.DB.prepare('SELECT 1 AS kept FROM webhook_receipts WHERE hook_id = ?').bind(hook.id).first()).toEqual({ kept: 1 });
    const pruned = await pruneWebhookData(env, Date.now() + 8 * DAY_MS);
    expect(pruned.bodies).toBeGreaterThanOrEqual(1);
    expect(pruned.receipts).toBeGreaterThanOrEqual(1);
    const row = await getDeliveryById(env.DB, delivery.id);
    expect(row).toMatchObject({ body: null, status: 'delivered' });
    const receipt = await env.DB.prepare('SELECT 1 FROM webhook_receipts WHERE hook_id = ?').bind(hook.id).first();
    expect(receipt).toBeNull();

    const detail = await json(await call(`/v1/webhooks/${hook.id}/deliveries/${delivery.id}`, { headers: tenant.auth }));
    expect(detail).toMatchObject({ payload: null, status: 'delivered' });
    expect(detail.body_pruned_at).toBeTruthy();
    const replay = await call(`/v1/webhooks/${hook.id}/deliveries/${delivery.id}/replay`, { method: 'POST', headers: tenant.auth });
    expect(replay.status).toBe(410);
    expect((await json(replay)).error.code).toBe('payload_expired');
  });

  it('re-queues a pending delivery whose queue message was lost', async () => {
    const tenant = await createTenant();
    const bucket = await receiverBucket();
    const hook = await createHook(tenant, { name: 'alerts', destination: { url: bucket.url }, events: ['conversation.handoff'] });
    const stale = new Date(Date.now() - 3_600_000).toISOString();
    await env.DB.prepare(
      "INSERT INTO webhook_deliveries (id, tenant_id, hook_id, type, body, status, created_at, next_attempt_at) VALUES ('msg_lostMessage0001', ?, ?, 'conversation.handoff', '{}', 'pending', ?, ?)",
    )
      .bind(tenant.id, hook.id, stale, stale)
      .run();
    expect(await requeueOverdueDeliveries(env)).toBeGreaterThanOrEqual(1);
    const [row] = await eventually(() => deliveries(tenant, hook.id), (rows) => rows[0]?.status === 'delivered');
    expect(row).toMatchObject({ id: 'msg_lostMessage0001', status: 'delivered', attempts: 1 });
  });
});

describe('retry schedule', () => {
  it('reads WEBHOOK_RETRY_SCHEDULE, falling back to the documented default', () => {
    expect(retrySchedule({ WEBHOOK_RETRY_SCHEDULE: '1, 2,3' })).toEqual([1, 2, 3]);
    expect(retrySchedule({})).toEqual(DEFAULT_RETRY_SCHEDULE);
    expect(retrySchedule({ WEBHOOK_RETRY_SCHEDULE: '1,x' })).toEqual(DEFAULT_RETRY_SCHEDULE);
    expect(retrySchedule({ WEBHOOK_RETRY_SCHEDULE: '99999' })).toEqual([43_200]);
  });

  it('draws each wait from 0 to its ceiling (full jitter), floors it at Retry-After, and ends with the schedule', () => {
    const schedule = [10, 100];
    expect(retryDelaySeconds(schedule, 1, null, () => 0)).toBe(0);
    expect(retryDelaySeconds(schedule, 1, null, () => 0.999)).toBe(10);
    expect(retryDelaySeconds(schedule, 2, null, () => 0.5)).toBe(50);
    expect(retryDelaySeconds(schedule, 1, 30, () => 0.5)).toBe(30);
    expect(retryDelaySeconds(schedule, 1, 999_999, () => 0.5)).toBe(43_200);
    expect(retryDelaySeconds(schedule, 3, null)).toBeNull();
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
