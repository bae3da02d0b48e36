import { env, SELF } from 'cloudflare:test';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN, createTenant, eventually, hfOrigin, uniqueText } from '../support/api';
import { deliveries, receiverBucket, sign, STANDARD_SECRET } from '../webhooks/support';

/** Every response of this file and every console line the Worker wrote while they were served. */
const seen: { label: string; text: string }[] = [];
const logs: string[] = [];

/** Like test/support/api's call, but every answer is kept to search for secrets afterwards. */
async function call(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}, options: { showsSecretOnce?: boolean } = {}) {
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const response = await SELF.fetch(`https://minnow.test${path}`, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body,
  });
  const text = await response.text();
  // The one response that shows a new key or signing secret is exempt: that is how it is handed over.
  if (!options.showsSecretOnce) seen.push({ label: `${init.method ?? 'GET'} ${path} → ${response.status}`, text: `${[...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n${text}` });
  return { status: response.status, body: text ? JSON.parse(text) : null, text };
}

beforeAll(() => {
  for (const level of ['log', 'error', 'warn', 'info', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logs.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
    });
  }
});
afterAll(() => vi.restoreAllMocks());

describe('secrets never come back', () => {
  it('keys, HF tokens, webhook and Turnstile secrets appear in no response, header, log line or stored row', async () => {
    const HF_TOKEN = `hf_tenant_${crypto.randomUUID().replaceAll('-', '')}`;
    const BAD_HF_TOKEN = `hf_rejected_${crypto.randomUUID().replaceAll('-', '')}`;
    const TURNSTILE_SECRET = `ts_secret_${crypto.randomUUID().replaceAll('-', '')}`;
    const tenant = await createTenant();
    const secrets: string[] = [tenant.key, HF_TOKEN, BAD_HF_TOKEN, TURNSTILE_SECRET, STANDARD_SECRET, 'dev-admin-token'];

    // A publishable key with Turnstile, and a second secret key that is then revoked.
    const pk = await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'publishable', origins: ['https://shop.example'], turnstile_secret: TURNSTILE_SECRET } }, { showsSecretOnce: true });
    const spare = await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'secret' } }, { showsSecretOnce: true });
    secrets.push(spare.body.key);
    await call(`/admin/keys/${spare.body.id}`, { method: 'DELETE', headers: ADMIN });
    await call('/v1/sentiment', { headers: { authorization: `Bearer ${spare.body.key}` }, body: { text: 'revoked' } });
    await call(`/admin/keys/${pk.body.id}`, { method: 'PATCH', headers: ADMIN, body: { turnstile_secret: TURNSTILE_SECRET } });
    await call('/v1/sentiment', { headers: { authorization: `Bearer ${pk.body.key}`, origin: 'https://shop.example', 'cf-turnstile-response': 'XXXX.DUMMY.TOKEN.XXXX' }, body: { text: 'hi' } });
    await call('/v1/sentiment', { headers: { authorization: `Bearer ${pk.body.key}`, origin: 'https://shop.example' }, body: { text: 'hi' } });
    await call('/v1/sentiment', { headers: { authorization: `Bearer ${tenant.key}`, origin: 'https://evil.example' }, body: { text: 'hi' } });
    await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN });

    // The tenant's own HF endpoint: used, failing with a rejected token, and read back.
    const endpoint = `${hfOrigin()}/endpoints/sentiment/secret-test`;
    await call(`/admin/tenants/${tenant.id}/tasks/sentiment`, { method: 'PUT', headers: ADMIN, body: { providers: ['huggingface'], huggingface_endpoint: { url: endpoint, token: HF_TOKEN } } });
    expect((await call('/v1/sentiment', { headers: tenant.auth, body: { text: uniqueText('I love it') } })).status).toBe(200);
    await call(`/admin/tenants/${tenant.id}/tasks/classify`, { method: 'PUT', headers: ADMIN, body: { providers: ['huggingface'], huggingface_endpoint: { url: `${hfOrigin()}/endpoints/classify/x`, token: BAD_HF_TOKEN } } });
    await call('/v1/classify', { headers: tenant.auth, body: { text: 'where is my parcel [[hf:401]]', labels: ['billing', 'shipping'] } });
    await call(`/admin/tenants/${tenant.id}/tasks`, { headers: ADMIN });

    // A webhook: inbound secret given, signing secret shown once, a rotation, a delivery and its log.
    const bucket = await receiverBucket();
    const hook = await call('/v1/webhooks', { headers: tenant.auth, body: { name: 'tickets', verify: { scheme: 'standard', secret: STANDARD_SECRET }, tasks: [{ task: 'sentiment', input: 'ticket.description' }], destination: { url: bucket.url } } }, { showsSecretOnce: true });
    secrets.push(hook.body.signing_secret);
    const rotated = await call(`/v1/webhooks/${hook.body.id}`, { method: 'PATCH', headers: tenant.auth, body: { rotate_signing_secret: { rotation_window_seconds: 60 } } }, { showsSecretOnce: true });
    secrets.push(rotated.body.signing_secret);
    const payload = JSON.stringify({ ticket: { description: 'I love it' } });
    const signed = await sign.standard(STANDARD_SECRET, payload);
    for (const headers of [signed, { ...signed, 'webhook-signature': 'v1,AAAA' }]) {
      const inbound = await SELF.fetch(`https://minnow.test/hooks/${hook.body.id}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
      seen.push({ label: `POST /hooks → ${inbound.status}`, text: `${[...inbound.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n${await inbound.text()}` });
    }
    const [delivery] = await eventually(() => deliveries(tenant, hook.body.id), (rows) => rows.length > 0 && rows[0].status !== 'pending');
    await call(`/v1/webhooks/${hook.body.id}`, { headers: tenant.auth });
    await call(`/v1/webhooks/${hook.body.id}/deliveries`, { headers: tenant.auth });
    await call(`/v1/webhooks/${hook.body.id}/deliveries/${delivery.id}`, { headers: tenant.auth });
    await call(`/v1/webhooks/${hook.body.id}/deliveries/${delivery.id}/replay`, { method: 'POST', headers: tenant.auth });
    const sentToReceiver = (await bucket.received()).map((request) => `${JSON.stringify(request.headers)}\n${request.body}`);

    // Wrong admin tokens and keys of the right shape.
    await call(`/admin/tenants/${tenant.id}`, { headers: { authorization: 'Bearer dev-admin-tokeX' } });
    await call('/v1/models', { headers: { authorization: `Bearer ${tenant.key.slice(0, -1)}${tenant.key.endsWith('A') ? 'B' : 'A'}` } });

    expect(seen.length).toBeGreaterThan(15);
    // The Worker runs in this isolate (admin-auth.test.ts's spy on crypto.subtle sees its calls), so
    // these console spies see every line it logs; a healthy run like this one may log none at all.
    for (const secret of secrets) {
      for (const response of seen) expect(response.text.includes(secret), `${secret.slice(0, 8)}… in ${response.label}`).toBe(false);
      for (const line of logs) expect(line.includes(secret), `${secret.slice(0, 8)}… in log line ${line.slice(0, 200)}`).toBe(false);
      for (const request of sentToReceiver) expect(request.includes(secret), `${secret.slice(0, 8)}… sent to the webhook receiver`).toBe(false);
    }

    // At rest: D1 holds key hashes and sealed secrets only.
    const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE '%fts%'").all<{ name: string }>();
    for (const { name } of tables.results) {
      const rows = JSON.stringify((await env.DB.prepare(`SELECT * FROM "${name}"`).all()).results);
      for (const secret of secrets.filter((value) => value !== 'dev-admin-token')) expect(rows.includes(secret), `${secret.slice(0, 8)}… stored in ${name}`).toBe(false);
    }
  }, 60_000);
});
