import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { estimateCost } from '../../src/pipeline/run-task';
import { listNotifications } from '../../src/storage/notifications';
import { emitTenantEvent } from '../../src/tenant-events/emit';
import { sentimentTask } from '../../src/tasks/sentiment/task';
import { call, createTenant, uniqueText } from '../support/api';
import { createHook, deliveries, eventually, receiverBucket } from './support';

describe('tenant events', () => {
  it('delivers budget.soft_limit, signed, to the hooks subscribed to it, and marks the notification delivered', async () => {
    const text = uniqueText();
    const tenant = await createTenant({ limits: { daily_budget_usd: estimateCost(env, sentimentTask, { text }).usd * 1.2, soft_limit_ratio: 0.2 }, providerOrder: { sentiment: ['workers-ai'] } });
    const subscribed = await receiverBucket();
    const other = await receiverBucket();
    const hook = await createHook(tenant, { name: 'alerts', destination: { url: subscribed.url }, events: ['budget.soft_limit'] });
    await subscribed.control({ secret: hook.signing_secret });
    const unsubscribed = await createHook(tenant, { name: 'other', destination: { url: other.url }, events: ['conversation.handoff'] });

    expect((await call('/v1/sentiment', { headers: tenant.auth, body: { text } })).status).toBe(200);
    const [delivery] = await eventually(() => deliveries(tenant, hook.id), (rows) => rows.some((row) => row.status === 'delivered'));
    expect(delivery).toMatchObject({ type: 'budget.soft_limit', status: 'delivered', attempts: 1 });
    const [received] = await subscribed.received();
    expect(received!.verified).toBe(true);
    const body = JSON.parse(received!.body);
    expect(body).toMatchObject({ type: 'budget.soft_limit', id: delivery.id, hook_id: hook.id, data: { cap: 'daily_usd', ratio: 0.2 } });
    expect(body.notification_id).toBe(delivery.notification_id);

    const deliveredAt = () => env.DB.prepare('SELECT delivered_at FROM notifications WHERE tenant_id = ?').bind(tenant.id).first<string>('delivered_at');
    expect(await eventually(deliveredAt, (value) => value !== null)).toBeTruthy();
    expect(await listNotifications(env.DB, tenant.id)).toHaveLength(1);
    expect(await deliveries(tenant, unsubscribed.id)).toEqual([]);
    expect(await other.received()).toEqual([]);
  });

  it('delivers any recorded event type to every subscribed hook of that tenant only', async () => {
    const tenant = await createTenant();
    const neighbour = await createTenant();
    const bucket = await receiverBucket();
    const first = await createHook(tenant, { name: 'a', destination: { url: bucket.url }, events: ['conversation.handoff'] });
    const second = await createHook(tenant, { name: 'b', destination: { url: bucket.url }, events: ['budget.soft_limit', 'conversation.handoff'] });
    const theirs = await createHook(neighbour, { name: 'c', destination: { url: bucket.url }, events: ['conversation.handoff'] });
    await emitTenantEvent(env, tenant.id, 'conversation.handoff', { conversation_id: 'cnv_1' });
    for (const hook of [first, second]) {
      const rows = await eventually(() => deliveries(tenant, hook.id), (list) => list[0]?.status === 'delivered');
      expect(rows).toMatchObject([{ type: 'conversation.handoff', status: 'delivered' }]);
    }
    expect(await deliveries(neighbour, theirs.id)).toEqual([]);
    const bodies = (await bucket.received()).map((request) => JSON.parse(request.body));
    expect(bodies.map((body) => body.hook_id).sort()).toEqual([first.id, second.id].sort());
    expect(bodies.every((body) => body.data.conversation_id === 'cnv_1')).toBe(true);
  });
});
