import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { call, createTenant, json, type TestTenant } from '../support/api';
import { createHook, deliveries, eventually, nowSeconds, postInbound, receiverBucket, sign, STANDARD_SECRET } from './support';

const PLAIN_SECRET = 'It is a plain shared secret';
const SECRETS = { standard: STANDARD_SECRET, github: PLAIN_SECRET, stripe: 'whsec_stripe_style_secret_used_as_text', 'hmac-sha256': PLAIN_SECRET } as const;
type Scheme = keyof typeof SECRETS;

async function hookFor(tenant: TestTenant, scheme: Scheme) {
  const { url } = await receiverBucket();
  return createHook(tenant, { name: scheme, verify: { scheme, secret: SECRETS[scheme] }, tasks: [{ task: 'language', input: 'text' }], destination: { url } });
}

const body = () => JSON.stringify({ id: `evt_${crypto.randomUUID()}`, text: 'Where is my parcel? It has not arrived.' });
const signFor = (scheme: Scheme, secret: string, payload: string) =>
  scheme === 'standard' ? sign.standard(secret, payload) : scheme === 'github' ? sign.github(secret, payload) : scheme === 'stripe' ? sign.stripe(secret, payload) : sign.hmac(secret, payload);

describe.each(['standard', 'github', 'stripe', 'hmac-sha256'] as const)('inbound %s signatures', (scheme) => {
  it('accepts a valid signature with 202 and a job id', async () => {
    const tenant = await createTenant();
    const hook = await hookFor(tenant, scheme);
    const payload = body();
    const response = await postInbound(hook.id, payload, await signFor(scheme, SECRETS[scheme], payload));
    expect(response.status).toBe(202);
    expect((await json(response)).job_id).toMatch(/^job_/);
  });

  it('refuses a tampered body or a wrong secret with 401 in the error shape, and queues nothing', async () => {
    const tenant = await createTenant();
    const hook = await hookFor(tenant, scheme);
    const payload = body();
    const headers = await signFor(scheme, SECRETS[scheme], payload);
    const tampered = await postInbound(hook.id, payload.replace('parcel', 'refund'), headers);
    expect(tampered.status).toBe(401);
    const error = (await json(tampered)).error;
    expect(error).toMatchObject({ type: 'authentication_error', code: 'invalid_signature' });
    expect(error.request_id).toBeTruthy();
    const wrongSecret = scheme === 'standard' ? `whsec_${btoa('another secret entirely')}` : 'another secret entirely';
    expect((await postInbound(hook.id, payload, await signFor(scheme, wrongSecret, payload))).status).toBe(401);
    expect((await postInbound(hook.id, payload, {})).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await deliveries(tenant, hook.id)).toEqual([]);
  });

  it('accepts the previous secret during a rotation, and only the new one after it', async () => {
    const tenant = await createTenant();
    const hook = await hookFor(tenant, scheme);
    const next = scheme === 'standard' ? `whsec_${btoa('the rotated-in standard secret')}` : 'the rotated-in secret';
    const rotate = (window?: number) =>
      call(`/v1/webhooks/${hook.id}`, { method: 'PATCH', headers: tenant.auth, body: { verify: { secret: next, ...(window === undefined ? {} : { rotation_window_seconds: window }) } } });
    const rotated = await json(await rotate());
    expect(Date.parse(rotated.verify.previous_secret_valid_until) - Date.now()).toBeGreaterThan(86_000_000);
    for (const secret of [SECRETS[scheme], next]) {
      const payload = body();
      expect((await postInbound(hook.id, payload, await signFor(scheme, secret, payload))).status).toBe(202);
    }
    // A window of 0 ends the old secret at once.
    await rotate(0);
    const payload = body();
    expect((await postInbound(hook.id, payload, await signFor(scheme, SECRETS[scheme], payload))).status).toBe(401);
    expect((await postInbound(hook.id, payload, await signFor(scheme, next, payload))).status).toBe(202);
  });
});

describe('inbound timestamps', () => {
  it.each([
    ['standard', (payload: string, at: number) => sign.standard(STANDARD_SECRET, payload, undefined, at)],
    ['stripe', (payload: string, at: number) => sign.stripe(SECRETS.stripe, payload, at)],
  ] as const)('%s: refuses a timestamp outside 5 minutes (a replay), either way', async (scheme, signAt) => {
    const tenant = await createTenant();
    const hook = await hookFor(tenant, scheme);
    // Well outside the 300 s tolerance: a timestamp just past it in the future can fall back inside
    // it while a busy machine takes a second or two to deliver the request.
    for (const at of [nowSeconds() - 330, nowSeconds() + 330]) {
      const payload = body();
      const response = await postInbound(hook.id, payload, await signAt(payload, at));
      expect(response.status).toBe(401);
      expect((await json(response)).error.message).toContain('timestamp');
    }
    const payload = body();
    expect((await postInbound(hook.id, payload, await signAt(payload, nowSeconds() - 240))).status).toBe(202);
  });

  it('accepts a Standard Webhooks header carrying several signatures when one matches', async () => {
    const tenant = await createTenant();
    const hook = await hookFor(tenant, 'standard');
    const payload = body();
    const headers = await sign.standard(STANDARD_SECRET, payload);
    headers['webhook-signature'] = `v1,bm90IGl0 ${headers['webhook-signature']} v2,ignored`;
    expect((await postInbound(hook.id, payload, headers)).status).toBe(202);
  });
});

describe('inbound idempotency', () => {
  it.each(['standard', 'github', 'stripe', 'hmac-sha256'] as const)('%s: a repeated delivery is acknowledged and processed once', async (scheme) => {
    const tenant = await createTenant();
    const hook = await hookFor(tenant, scheme);
    const payload = body();
    const headers = await signFor(scheme, SECRETS[scheme], payload);
    const first = await postInbound(hook.id, payload, headers);
    expect(first.status).toBe(202);
    const { job_id } = await json(first);
    // Re-signed, as a sender's retry would be: same delivery id (or the same body), new signature.
    const again = await postInbound(hook.id, payload, scheme === 'standard' ? await sign.standard(STANDARD_SECRET, payload, headers['webhook-id']) : scheme === 'github' ? await sign.github(PLAIN_SECRET, payload, headers['x-github-delivery']) : await signFor(scheme, SECRETS[scheme], payload));
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual({ job_id, duplicate: true });
    const settled = await eventually(() => deliveries(tenant, hook.id), (rows) => rows.length > 0 && rows.every((row) => row.status === 'delivered'));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await deliveries(tenant, hook.id)).toHaveLength(1);
    expect(settled[0]).toMatchObject({ job_id, status: 'delivered' });
  });

  it('stripe: an event without an `id` is deduplicated on its body’s SHA-256, whatever its timestamp', async () => {
    const tenant = await createTenant();
    const hook = await hookFor(tenant, 'stripe');
    // Stripe's events always carry `id` (evt_…); a sender imitating Stripe's signature may not.
    const payload = JSON.stringify({ type: 'ticket.created', text: `Where is my parcel? ${crypto.randomUUID()}` });
    const first = await postInbound(hook.id, payload, await sign.stripe(SECRETS.stripe, payload, nowSeconds() - 60));
    expect(first.status).toBe(202);
    const { job_id } = await json(first);
    // The same body signed afresh (a new `t`, so a new signature) is the same delivery.
    const again = await postInbound(hook.id, payload, await sign.stripe(SECRETS.stripe, payload));
    expect([again.status, await json(again)]).toEqual([200, { job_id, duplicate: true }]);
    // A body that differs by one character is another delivery.
    const other = payload.replace('parcel', 'Parcel');
    expect((await postInbound(hook.id, other, await sign.stripe(SECRETS.stripe, other))).status).toBe(202);
    const digest = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(payload))), (byte) => byte.toString(16).padStart(2, '0')).join('');
    const rows = await eventually(() => deliveries(tenant, hook.id), (rows) => rows.length === 2);
    expect(rows.find((row) => row.job_id === job_id)?.source_delivery_id).toBe(`sha256:${digest}`);
  });

  it('copies of one delivery arriving at once are processed once', async () => {
    const tenant = await createTenant();
    const hook = await hookFor(tenant, 'standard');
    const payload = body();
    const headers = await sign.standard(STANDARD_SECRET, payload);
    const responses = await Promise.all(Array.from({ length: 5 }, () => postInbound(hook.id, payload, headers)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(1);
    expect(statuses.every((status) => [200, 202, 409].includes(status))).toBe(true);
    await eventually(() => deliveries(tenant, hook.id), (rows) => rows.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await deliveries(tenant, hook.id)).toHaveLength(1);
  });
});

describe('inbound bodies', () => {
  it('refuses an oversized body with 413, before checking anything else', async () => {
    const tenant = await createTenant();
    const hook = await hookFor(tenant, 'hmac-sha256');
    const payload = JSON.stringify({ text: 'x'.repeat(70 * 1024) });
    const response = await postInbound(hook.id, payload, await sign.hmac(PLAIN_SECRET, payload));
    expect(response.status).toBe(413);
    expect((await json(response)).error.code).toBe('body_too_large');
  });

  it('stops reading a streamed body past the limit, whatever Content-Length says', async () => {
    const tenant = await createTenant();
    const hook = await hookFor(tenant, 'hmac-sha256');
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 8) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const response = await SELF.fetch(`https://minnow.test/hooks/${hook.id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature': 'sha256=00' }, body: stream });
    expect(response.status).toBe(413);
  });

  it('refuses a signed body that is not JSON with 400, and a non-JSON content type with 415', async () => {
    const tenant = await createTenant();
    const hook = await hookFor(tenant, 'hmac-sha256');
    const payload = '{"text": "unterminated';
    const malformed = await postInbound(hook.id, payload, await sign.hmac(PLAIN_SECRET, payload));
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).error.code).toBe('invalid_json');
    const form = await call(`/hooks/${hook.id}`, { rawBody: 'text=hi', headers: { 'content-type': 'application/x-www-form-urlencoded', ...(await sign.hmac(PLAIN_SECRET, 'text=hi')) } });
    expect(form.status).toBe(415);
  });

  it('answers 404 for an unknown hook', async () => {
    const response = await postInbound('whk_doesNotExist0000', '{}', {});
    expect(response.status).toBe(404);
    expect((await json(response)).error.code).toBe('webhook_not_found');
  });
});
