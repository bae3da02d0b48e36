import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { usageForTenant } from '../../src/storage/usage';
import { call, createTenant, json, uniqueText, type TestTenant } from '../support/api';
import { createHook, deliveries, eventually, postInbound, receiverBucket, sign, signedWith, STANDARD_SECRET } from './support';
import { guardFor } from '../../src/durable-objects/tenant-guard/client';

type Bucket = Awaited<ReturnType<typeof receiverBucket>>;

async function ticketHook(tenant: TestTenant, bucket: Bucket, tasks?: unknown[]) {
  const hook = await createHook(tenant, {
    name: 'tickets',
    verify: { scheme: 'standard', secret: STANDARD_SECRET },
    tasks: tasks ?? [
      { task: 'sentiment', input: 'ticket.description' },
      { task: 'classify', input: 'ticket.description', options: { labels: ['billing', 'shipping'] } },
    ],
    destination: { url: bucket.url },
  });
  return hook;
}

async function sendTicket(hookId: string, ticket: Record<string, unknown>) {
  const payload = JSON.stringify({ ticket });
  const headers = await sign.standard(STANDARD_SECRET, payload);
  const response = await postInbound(hookId, payload, headers);
  expect(response.status).toBe(202);
  return { jobId: (await json(response)).job_id as string, sourceId: headers['webhook-id']! };
}

const settled = (tenant: TestTenant, hookId: string, count = 1) =>
  eventually(() => deliveries(tenant, hookId), (rows) => rows.length >= count && rows.every((row) => row.status !== 'pending'), 30_000);

/** Retry tests wait through a whole (short) schedule; room for a loaded CI machine. */
const RETRY_TEST_TIMEOUT_MS = 60_000;

describe('outbound deliveries', () => {
  it('delivers the task results signed with Standard Webhooks, verifiable by the standardwebhooks library', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const bucket = await receiverBucket();
    const hook = await ticketHook(tenant, bucket);
    await bucket.control({ secret: hook.signing_secret });
    const text = uniqueText('I love how fast the refund was');
    const { jobId, sourceId } = await sendTicket(hook.id, { description: text });

    const [delivery] = await settled(tenant, hook.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 1, last_status: 200, job_id: jobId, source_delivery_id: sourceId, type: 'webhook.result' });
    const [received] = await bucket.received();
    expect(received!.verified).toBe(true);
    expect(received!.headers['webhook-id']).toBe(delivery.id);
    const body = JSON.parse(received!.body);
    expect(body).toMatchObject({ type: 'webhook.result', id: delivery.id, hook_id: hook.id, job_id: jobId, source_delivery_id: sourceId });
    expect(Object.keys(body.results)).toEqual(['sentiment', 'classify']);
    expect(body.results.sentiment).toMatchObject({ task: 'sentiment', provider: 'workers-ai', results: [{ label: 'positive' }] });
    expect(body.results.classify.results[0].labels).toHaveLength(2);

    // Billed like an API call: metered through the usage queue, the hook standing in for the key.
    const usage = await eventually(() => usageForTenant(env.DB, tenant.id), (rows) => rows.length >= 2);
    expect(usage.map((row) => row.key_id)).toEqual([hook.id, hook.id]);
    expect(usage.find((row) => row.task === 'sentiment')!.cost_usd).toBeGreaterThan(0);
    // The tenant's budget is charged what the tasks cost (the job's reservation released).
    const cost = usage.reduce((sum, row) => sum + row.cost_usd, 0);
    const spent = () => guardFor(env, tenant.id).spentToday();
    expect(await eventually(spent, (value) => Math.abs(value - cost) < 1e-12)).toBeCloseTo(cost, 12);

    // The delivery detail shows the body and every attempt; a tampered copy does not verify.
    const detail = await json(await call(`/v1/webhooks/${hook.id}/deliveries/${delivery.id}`, { headers: tenant.auth }));
    expect(detail.payload).toEqual(body);
    expect(detail.attempt_log).toMatchObject([{ attempt: 1, series: 1, status: 200, error: null }]);
  });

  it('records a per-task input_missing error naming the path when the mapping points at nothing', async () => {
    const tenant = await createTenant();
    const bucket = await receiverBucket();
    const hook = await ticketHook(tenant, bucket, [
      { task: 'language', input: 'ticket.description' },
      { task: 'sentiment', input: 'ticket.body.text' },
      { task: 'summarize', input: 'ticket.description', options: { max_words: 20 } },
    ]);
    await sendTicket(hook.id, { description: 42 });
    await settled(tenant, hook.id);
    const body = JSON.parse((await bucket.received())[0]!.body);
    // The one error shape, with the task's own request id (`<job>.<task>`, as its envelope's id would be).
    expect(body.results.sentiment).toEqual({
      error: { type: 'invalid_request_error', code: 'input_missing', message: expect.stringContaining('"ticket.body.text"'), param: 'ticket.body.text', request_id: `${body.job_id}.sentiment` },
    });
    expect(body.results.language.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_input', request_id: `${body.job_id}.language` });
    expect(body.results.summarize.error).toMatchObject({ code: 'invalid_input' });
  });

  it('retries a failing receiver and delivers exactly once, recording every attempt', async () => {
    const tenant = await createTenant();
    const bucket = await receiverBucket({ failures: 3, status: 503 });
    const hook = await ticketHook(tenant, bucket, [{ task: 'language', input: 'ticket.description' }]);
    await sendTicket(hook.id, { description: 'Where is my parcel?' });
    const [delivery] = await settled(tenant, hook.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 4, last_status: 200, last_error: null });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const received = await bucket.received();
    expect(received.map((request) => request.answered)).toEqual([503, 503, 503, 200]);
    expect(new Set(received.map((request) => request.headers['webhook-id']))).toEqual(new Set([delivery.id]));
    const detail = await json(await call(`/v1/webhooks/${hook.id}/deliveries/${delivery.id}`, { headers: tenant.auth }));
    expect(detail.attempt_log.map((attempt: { status: number }) => attempt.status)).toEqual([503, 503, 503, 200]);
  }, RETRY_TEST_TIMEOUT_MS);

  it('honours Retry-After on a 429', async () => {
    const tenant = await createTenant();
    const bucket = await receiverBucket({ failures: 1, status: 429, retryAfter: '3' });
    const hook = await ticketHook(tenant, bucket, [{ task: 'language', input: 'ticket.description' }]);
    await sendTicket(hook.id, { description: 'Where is my parcel?' });
    const [delivery] = await settled(tenant, hook.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
    const [first, second] = (await bucket.received()) as unknown as { at: number }[];
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(2_900);
  }, RETRY_TEST_TIMEOUT_MS);

  it('ends dead after the schedule with a receiver that always fails, and a replay delivers once it is fixed', async () => {
    const tenant = await createTenant();
    const bucket = await receiverBucket({ failures: -1, status: 500 });
    const hook = await ticketHook(tenant, bucket, [{ task: 'language', input: 'ticket.description' }]);
    await bucket.control({ failures: -1, status: 500, secret: hook.signing_secret });
    await sendTicket(hook.id, { description: 'Where is my parcel?' });
    const [dead] = await settled(tenant, hook.id);
    // The first attempt and one retry per WEBHOOK_RETRY_SCHEDULE entry (four in the tests).
    expect(dead).toMatchObject({ status: 'dead', attempts: 5, last_status: 500, next_attempt_at: null });
    const deadLetters = await json(await call(`/v1/webhooks/${hook.id}/deliveries?status=dead`, { headers: tenant.auth }));
    expect(deadLetters.data.map((row: { id: string }) => row.id)).toEqual([dead.id]);
    expect((await json(await call(`/v1/webhooks/${hook.id}/deliveries?status=delivered`, { headers: tenant.auth }))).data).toEqual([]);
    expect(await bucket.received()).toHaveLength(5);

    await bucket.control({ secret: hook.signing_secret });
    // Replay takes no body: a field sent is refused, not dropped.
    const withBody = await call(`/v1/webhooks/${hook.id}/deliveries/${dead.id}/replay`, { method: 'POST', headers: tenant.auth, body: { destination: 'https://elsewhere.example' } });
    expect([withBody.status, (await json(withBody)).error]).toEqual([400, expect.objectContaining({ code: 'unknown_field', param: 'destination' })]);
    const replay = await call(`/v1/webhooks/${hook.id}/deliveries/${dead.id}/replay`, { method: 'POST', headers: tenant.auth });
    expect(replay.status).toBe(202);
    expect(await json(replay)).toMatchObject({ id: dead.id, status: 'pending' });
    const [delivered] = await settled(tenant, hook.id);
    expect(delivered).toMatchObject({ id: dead.id, status: 'delivered', attempts: 6, last_status: 200 });
    const received = await bucket.received();
    expect(received).toHaveLength(6);
    expect(received.at(-1)).toMatchObject({ answered: 200, verified: true });
    expect(received.at(-1)!.body).toBe(received[0]!.body);
  }, RETRY_TEST_TIMEOUT_MS);

  it.each([
    [{ failures: -1, status: 410 }, 'destination answered 410'],
    [{ failures: -1, status: 302, location: 'http://127.0.0.1:1/elsewhere' }, 'destination answered 302 (redirects are not followed)'],
  ])('ends dead at once on %j', async (control, error) => {
    const tenant = await createTenant();
    const bucket = await receiverBucket(control);
    const hook = await ticketHook(tenant, bucket, [{ task: 'language', input: 'ticket.description' }]);
    await sendTicket(hook.id, { description: 'Where is my parcel?' });
    const [delivery] = await settled(tenant, hook.id);
    expect(delivery).toMatchObject({ status: 'dead', attempts: 1, last_error: error });
  });

  it('retries a receiver that times out', async () => {
    const tenant = await createTenant();
    const bucket = await receiverBucket({ failures: 1, status: 200, hangMs: 2_000 });
    const hook = await ticketHook(tenant, bucket, [{ task: 'language', input: 'ticket.description' }]);
    await sendTicket(hook.id, { description: 'Where is my parcel?' });
    const [delivery] = await settled(tenant, hook.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 2 });
    const detail = await json(await call(`/v1/webhooks/${hook.id}/deliveries/${delivery.id}`, { headers: tenant.auth }));
    expect(detail.attempt_log[0]).toMatchObject({ status: null, error: 'timed out after 1000 ms' });
  }, RETRY_TEST_TIMEOUT_MS);

  it('pages through the delivery log with limit and cursor, newest first', async () => {
    const tenant = await createTenant();
    const bucket = await receiverBucket();
    const hook = await ticketHook(tenant, bucket, [{ task: 'language', input: 'ticket.description' }]);
    for (let index = 0; index < 3; index++) await sendTicket(hook.id, { description: `Ticket number ${index}` });
    const all = await settled(tenant, hook.id, 3);
    const first = await json(await call(`/v1/webhooks/${hook.id}/deliveries?limit=2`, { headers: tenant.auth }));
    expect(first).toMatchObject({ has_more: true });
    const second = await json(await call(`/v1/webhooks/${hook.id}/deliveries?limit=2&cursor=${first.next_cursor}`, { headers: tenant.auth }));
    expect(second).toMatchObject({ has_more: false, next_cursor: null });
    expect([...first.data, ...second.data].map((row: { id: string }) => row.id)).toEqual(all.map((row) => row.id));
    const bad = await call(`/v1/webhooks/${hook.id}/deliveries?cursor=nonsense`, { headers: tenant.auth });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.param).toBe('cursor');
  });

  it('defers a job refused by the rate limit and runs it later: nothing is lost', async () => {
    const tenant = await createTenant({ limits: { rpm: 60, burst: 1 } });
    const bucket = await receiverBucket();
    const hook = await ticketHook(tenant, bucket, [{ task: 'language', input: 'ticket.description' }]);
    for (let index = 0; index < 3; index++) await sendTicket(hook.id, { description: `Ticket number ${index}` });
    const rows = () => env.DB.prepare("SELECT status FROM webhook_deliveries WHERE hook_id = ? AND status = 'delivered'").bind(hook.id).all();
    const delivered = await eventually(rows, (result) => result.results.length >= 3, 20_000);
    expect(delivered.results).toHaveLength(3);
    for (const request of await bucket.received()) expect(JSON.parse(request.body).results.language.task).toBe('language');
  }, RETRY_TEST_TIMEOUT_MS);
});

describe('signing secret rotation', () => {
  it('issues a new signing secret once and signs with both during the window, then only the new one', async () => {
    const tenant = await createTenant();
    const bucket = await receiverBucket();
    const hook = await ticketHook(tenant, bucket, [{ task: 'language', input: 'ticket.description' }]);
    const rotate = async (window?: number) =>
      json(await call(`/v1/webhooks/${hook.id}`, { method: 'PATCH', headers: tenant.auth, body: { rotate_signing_secret: window === undefined ? {} : { rotation_window_seconds: window } } }));
    const rotated = await rotate();
    expect(rotated.signing_secret).toMatch(/^whsec_/);
    expect(rotated.signing_secret).not.toBe(hook.signing_secret);
    expect(Date.parse(rotated.signing.previous_secret_valid_until)).toBeGreaterThan(Date.now());
    expect((await json(await call(`/v1/webhooks/${hook.id}`, { headers: tenant.auth }))).signing_secret).toBeUndefined();
    await bucket.control({ secret: rotated.signing_secret });

    await sendTicket(hook.id, { description: 'Where is my parcel?' });
    await settled(tenant, hook.id);
    const [during] = await bucket.received();
    expect(during!.verified).toBe(true);
    expect(await signedWith(hook.signing_secret, during!.headers, during!.body)).toBe(true);
    expect(await signedWith(rotated.signing_secret, during!.headers, during!.body)).toBe(true);

    const final = await rotate(0);
    await bucket.control({ secret: final.signing_secret });
    await sendTicket(hook.id, { description: 'And my other parcel?' });
    await settled(tenant, hook.id, 2);
    const after = (await bucket.received())[1]!;
    expect(after.verified).toBe(true);
    expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(await signedWith(rotated.signing_secret, after.headers, after.body)).toBe(false);
  }, RETRY_TEST_TIMEOUT_MS);
});

describe('result shapes', () => {
  it('presents list-shaped tasks (rerank, similarity) as their routes do, with several mapped fields', async () => {
    const tenant = await createTenant();
    const bucket = await receiverBucket();
    const hook = await ticketHook(tenant, bucket, [
      { task: 'rerank', input: { query: 'ticket.question', documents: 'kb.articles' } },
      { task: 'similarity', input: { source: 'ticket.question', targets: 'kb.articles' } },
    ]);
    const question = 'how do I get my money back';
    const articles = ['Refunds are issued within 5 days.', 'Our office is in Berlin.'];
    const payload = JSON.stringify({ ticket: { question }, kb: { articles } });
    expect((await postInbound(hook.id, payload, await sign.standard(STANDARD_SECRET, payload))).status).toBe(202);
    await settled(tenant, hook.id);
    const { results } = JSON.parse((await bucket.received())[0]!.body);
    const direct = {
      rerank: await json(await call('/v1/rerank', { headers: tenant.auth, body: { query: question, documents: articles } })),
      similarity: await json(await call('/v1/similarity', { headers: tenant.auth, body: { source: question, targets: articles } })),
    };
    expect(results.rerank.results).toEqual(direct.rerank.results);
    expect(results.similarity.results).toEqual(direct.similarity.results);
    expect(results.similarity.results).toHaveLength(2);
  });
});
