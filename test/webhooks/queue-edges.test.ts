import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index';
import { getDeliveryById } from '../../src/storage/webhook-deliveries';
import { MAX_JOB_DEFERRALS } from '../../src/webhooks/process-job';
import type { JobMessage, JobsMessage } from '../../src/contracts/queue-messages';
import { createTenant } from '../support/api';
import { createHook, deliveries, eventually, receiverBucket, STANDARD_SECRET } from './support';

const insertPending = (tenantId: string, hookId: string, id: string) =>
  env.DB.prepare("INSERT INTO webhook_deliveries (id, tenant_id, hook_id, type, body, status, created_at, next_attempt_at) VALUES (?, ?, ?, 'webhook.result', '{}', 'pending', ?, ?)")
    .bind(id, tenantId, hookId, new Date().toISOString(), new Date().toISOString())
    .run();

describe('queue edges', () => {
  it('delivers the refusal, task by task, once a job has been deferred for budget as often as allowed', async () => {
    const tenant = await createTenant({ limits: { daily_budget_usd: 0 }, providerOrder: { sentiment: ['workers-ai'] } });
    const bucket = await receiverBucket();
    const hook = await createHook(tenant, {
      name: 'tickets',
      verify: { scheme: 'standard', secret: STANDARD_SECRET },
      tasks: [{ task: 'sentiment', input: 'text' }, { task: 'language', input: 'missing.path' }],
      destination: { url: bucket.url },
    });
    const job: JobMessage = { kind: 'job', jobId: `job_${crypto.randomUUID().slice(0, 16)}`, hookId: hook.id, tenantId: tenant.id, deliveryKey: 'evt_budget', payload: { text: 'I love it' }, receivedAt: new Date().toISOString(), deferrals: MAX_JOB_DEFERRALS };
    await env.JOBS.send(job);
    const [delivery] = await eventually(() => deliveries(tenant, hook.id), (rows) => rows[0]?.status === 'delivered');
    expect(delivery).toMatchObject({ job_id: job.jobId, source_delivery_id: 'evt_budget' });
    const body = JSON.parse((await bucket.received())[0]!.body);
    expect(body.results.sentiment.error).toMatchObject({ code: 'budget_exhausted', message: expect.stringContaining('budget') });
    expect(body.results.language.error.code).toBe('input_missing');
  });

  it('the dead-letter consumer marks a delivery dead so it can be replayed', async () => {
    const tenant = await createTenant();
    const { url } = await receiverBucket();
    const hook = await createHook(tenant, { name: 'alerts', destination: { url }, events: ['budget.soft_limit'] });
    await insertPending(tenant.id, hook.id, 'msg_deadLetterTest01');
    const batch = createMessageBatch<JobsMessage>('minnow-jobs-dlq', [{ id: 'm1', timestamp: new Date(), attempts: 6, body: { kind: 'deliver', deliveryId: 'msg_deadLetterTest01', series: 1 } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['m1']);
    expect(await getDeliveryById(env.DB, 'msg_deadLetterTest01')).toMatchObject({ status: 'dead', last_error: expect.stringContaining('replay') });
  });

  it('ignores a stale attempt message from before a replay', async () => {
    const tenant = await createTenant();
    const bucket = await receiverBucket();
    const hook = await createHook(tenant, { name: 'alerts', destination: { url: bucket.url }, events: ['budget.soft_limit'] });
    await insertPending(tenant.id, hook.id, 'msg_staleSeriesTest1');
    await env.DB.prepare('UPDATE webhook_deliveries SET series = 2 WHERE id = ?').bind('msg_staleSeriesTest1').run();
    const batch = createMessageBatch<JobsMessage>('minnow-jobs', [{ id: 'm1', timestamp: new Date(), attempts: 1, body: { kind: 'deliver', deliveryId: 'msg_staleSeriesTest1', series: 1 } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['m1']);
    expect(await getDeliveryById(env.DB, 'msg_staleSeriesTest1')).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await bucket.received()).toEqual([]);
  });

  it('the scheduled handler re-queues overdue deliveries', async () => {
    const tenant = await createTenant();
    const { url } = await receiverBucket();
    const hook = await createHook(tenant, { name: 'alerts', destination: { url }, events: ['budget.soft_limit'] });
    await insertPending(tenant.id, hook.id, 'msg_scheduledTest001');
    await env.DB.prepare('UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?').bind(new Date(Date.now() - 3_600_000).toISOString(), 'msg_scheduledTest001').run();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: '*/15 * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    const [row] = await eventually(() => deliveries(tenant, hook.id), (rows) => rows[0]?.status === 'delivered');
    expect(row).toMatchObject({ id: 'msg_scheduledTest001', status: 'delivered' });
  });
});
