import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ACCEPTING_CLAIM_SECONDS } from '../../src/storage/webhook-receipts';
import { createTenant, json, type TestTenant } from '../support/api';
import { createHook, deliveries, eventually, postInbound, receiverBucket, sign, STANDARD_SECRET } from './support';

const PLAIN_SECRET = 'It is a plain shared secret';

async function hookFor(tenant: TestTenant, scheme: 'standard' | 'github' | 'hmac-sha256') {
  const { url } = await receiverBucket();
  const secret = scheme === 'standard' ? STANDARD_SECRET : PLAIN_SECRET;
  return createHook(tenant, { name: scheme, verify: { scheme, secret }, tasks: [{ task: 'language', input: 'text' }], destination: { url } });
}

const body = () => JSON.stringify({ text: `Where is my parcel? It has not arrived. ${crypto.randomUUID()}` });

const receipt = (hookId: string, key: string) =>
  env.DB.prepare('SELECT job_id, state, received_at FROM webhook_receipts WHERE hook_id = ? AND delivery_key = ?').bind(hookId, key).first<{ job_id: string; state: string; received_at: string }>();

/** A receipt as a Worker leaves it when it dies between claiming a delivery and queuing its job. */
const strandedClaim = (hookId: string, key: string, secondsAgo: number) =>
  env.DB.prepare("INSERT INTO webhook_receipts (hook_id, delivery_key, job_id, state, received_at) VALUES (?, ?, 'job_died_here', 'accepting', ?)")
    .bind(hookId, key, new Date(Date.now() - secondsAgo * 1000).toISOString())
    .run();

/** Waits until the hook's deliveries settle, then reads them once more after a pause. */
async function settledDeliveries(tenant: TestTenant, hookId: string): Promise<any[]> {
  await eventually(() => deliveries(tenant, hookId), (rows) => rows.length > 0 && rows.every((row) => row.status === 'delivered'));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return deliveries(tenant, hookId);
}

describe('an inbound receipt left `accepting` by a Worker that died', () => {
  it(`is taken over by the sender's retry once it is older than ${ACCEPTING_CLAIM_SECONDS} s, and the delivery is processed`, async () => {
    const tenant = await createTenant();
    const hook = await hookFor(tenant, 'standard');
    const payload = body();
    const headers = await sign.standard(STANDARD_SECRET, payload);
    await strandedClaim(hook.id, headers['webhook-id']!, ACCEPTING_CLAIM_SECONDS + 60);

    const retry = await postInbound(hook.id, payload, headers);
    expect(retry.status).toBe(202);
    const { job_id } = await json(retry);
    expect(job_id).not.toBe('job_died_here');
    expect(await receipt(hook.id, headers['webhook-id']!)).toMatchObject({ job_id, state: 'queued' });
    const rows = await settledDeliveries(tenant, hook.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ job_id, status: 'delivered' });
  });

  it('is still honoured while it is younger: 409 with a Retry-After no longer than the bound', async () => {
    const tenant = await createTenant();
    const hook = await hookFor(tenant, 'standard');
    const payload = body();
    const headers = await sign.standard(STANDARD_SECRET, payload);
    await strandedClaim(hook.id, headers['webhook-id']!, 10);

    const copy = await postInbound(hook.id, payload, headers);
    expect(copy.status).toBe(409);
    expect((await json(copy)).error).toMatchObject({ type: expect.any(String), code: 'delivery_in_progress', request_id: expect.any(String) });
    const wait = Number(copy.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(ACCEPTING_CLAIM_SECONDS - 15);
    expect(wait).toBeLessThanOrEqual(ACCEPTING_CLAIM_SECONDS - 5);
    expect(await receipt(hook.id, headers['webhook-id']!)).toMatchObject({ job_id: 'job_died_here', state: 'accepting' });
  });
});

describe('replays of schemes that sign no timestamp', () => {
  it.each(['github', 'hmac-sha256'] as const)('%s: a captured delivery sent again with a fresh delivery id is acknowledged as a duplicate, not processed', async (scheme) => {
    const tenant = await createTenant();
    const hook = await hookFor(tenant, scheme);
    const payload = body();
    const captured = scheme === 'github' ? await sign.github(PLAIN_SECRET, payload) : { ...(await sign.hmac(PLAIN_SECRET, payload)), 'idempotency-key': crypto.randomUUID() };
    const first = await postInbound(hook.id, payload, captured);
    expect(first.status).toBe(202);
    const { job_id } = await json(first);

    // The attacker cannot sign anything new, but the delivery id is an unsigned header.
    for (let attempt = 0; attempt < 3; attempt++) {
      const fresh = scheme === 'github' ? { ...captured, 'x-github-delivery': crypto.randomUUID() } : { ...captured, 'idempotency-key': crypto.randomUUID() };
      const replay = await postInbound(hook.id, payload, fresh);
      expect(replay.status).toBe(200);
      expect(await json(replay)).toEqual({ job_id, duplicate: true });
    }
    const rows = await settledDeliveries(tenant, hook.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ job_id });
  });

  it('github: a different signed body is a new delivery, and its result names the sender\'s delivery id', async () => {
    const tenant = await createTenant();
    const hook = await hookFor(tenant, 'github');
    const delivery = crypto.randomUUID();
    const [first, second] = [body(), body()];
    expect((await postInbound(hook.id, first, await sign.github(PLAIN_SECRET, first, delivery))).status).toBe(202);
    expect((await postInbound(hook.id, second, await sign.github(PLAIN_SECRET, second))).status).toBe(202);
    const rows = await settledDeliveries(tenant, hook.id);
    expect(rows).toHaveLength(2);
    expect(rows.map((row) => row.source_delivery_id)).toContain(delivery);
  });
});
