import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/security/crypto';
import { ADMIN, call, createTenant, json } from './support/api';

const sentiment = (headers: Record<string, string>, text = 'hello') => call('/v1/sentiment', { headers, body: { text } });

describe('API keys', () => {
  it('accepts a key as Bearer or in x-api-key', async () => {
    const tenant = await createTenant();
    expect((await sentiment(tenant.auth)).status).toBe(200);
    expect((await sentiment({ 'x-api-key': tenant.key })).status).toBe(200);
  });

  it('refuses two different keys at once, naming both headers; the same key in both is one key', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    for (const headers of <Record<string, string>[]>[{ ...tenant.auth, 'x-api-key': other.key }, { authorization: `Bearer ${tenant.key}`, 'x-api-key': `sk_${'B'.repeat(32)}` }]) {
      const response = await sentiment(headers);
      expect(response.status).toBe(400);
      const { error } = await json(response);
      expect(error).toMatchObject({ type: 'invalid_request_error', code: 'conflicting_api_keys', param: 'x-api-key', message: expect.stringContaining('one in Authorization and another in x-api-key') });
      // Neither key is echoed.
      expect(JSON.stringify(error)).not.toContain(tenant.key);
      expect(JSON.stringify(error)).not.toContain(other.key);
    }
    expect((await sentiment({ ...tenant.auth, 'x-api-key': tenant.key })).status).toBe(200);
    expect((await call('/v1/models', { headers: { ...tenant.auth, 'x-api-key': other.key } })).status).toBe(400);
    // The admin API reads its token the same way.
    expect((await call('/admin/tenants', { headers: { ...ADMIN, 'x-api-key': 'something-else' } })).status).toBe(400);
  });

  it("refuses a visitor token sent with a secret key (it would change nothing); an empty header is no token", async () => {
    const tenant = await createTenant();
    const response = await sentiment({ ...tenant.auth, 'x-minnow-visitor': 'v1.vis_abc.key_def.1.-.sig' });
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatchObject({ code: 'visitor_token_with_secret_key', param: 'x-minnow-visitor', message: expect.stringContaining('a secret key has no per-visitor limits') });
    expect((await sentiment({ ...tenant.auth, 'x-minnow-visitor': '' })).status).toBe(200);
  });

  it('stores only the hash and a visible prefix', async () => {
    const tenant = await createTenant();
    const row = await env.DB.prepare('SELECT * FROM api_keys WHERE id = ?').bind(tenant.keyId).first<Record<string, string>>();
    expect(row!.hash).toBe(await sha256Hex(tenant.key));
    expect(row!.prefix).toBe(tenant.key.slice(0, 11));
    expect(JSON.stringify(row)).not.toContain(tenant.key);
    const listed = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN }));
    expect(JSON.stringify(listed)).not.toContain(tenant.key);
    expect(listed.data[0]).toMatchObject({ id: tenant.keyId, prefix: tenant.key.slice(0, 11), kind: 'secret', revoked_at: null });
  });

  it('refuses a revoked key on the very next request, even while the key is cached', async () => {
    const tenant = await createTenant();
    expect((await sentiment(tenant.auth)).status).toBe(200);
    const revoked = await call(`/admin/keys/${tenant.keyId}`, { method: 'DELETE', headers: ADMIN });
    expect(await json(revoked)).toEqual({ id: tenant.keyId, revoked: true });
    const after = await sentiment(tenant.auth);
    expect(after.status).toBe(401);
    expect((await json(after)).error.code).toBe('invalid_api_key');
  });

  it('binds a publishable key to its origins', async () => {
    const tenant = await createTenant();
    const issued = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'publishable', origins: ['https://shop.example'] } }));
    expect(issued.key).toMatch(/^pk_/);
    const auth = { authorization: `Bearer ${issued.key}` };
    const allowed = await sentiment({ ...auth, origin: 'https://shop.example' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const other = await sentiment({ ...auth, origin: 'https://evil.example' });
    expect(other.status).toBe(403);
    expect((await json(other)).error.code).toBe('origin_not_allowed');
    expect((await sentiment(auth)).status).toBe(403);
  });

  it('writes an origin as browsers send it (capitals, default port) and refuses anything after the host, saying what it was', async () => {
    const tenant = await createTenant();
    const issue = (origins: string[]) => call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'publishable', origins } });
    const issued = await json(await issue(['HTTPS://Shop.Example', 'https://blog.example:443', 'http://localhost:8788']));
    expect(issued.origins).toEqual(['https://shop.example', 'https://blog.example', 'http://localhost:8788']);
    const fromBrowser = await sentiment({ authorization: `Bearer ${issued.key}`, origin: 'https://shop.example' });
    expect(fromBrowser.status).toBe(200);
    for (const [origin, says] of [
      ['https://Shop.example/', 'has a trailing "/", which no Origin header has: send "https://shop.example"'],
      ['https://shop.example/checkout', 'has a path ("/checkout"), which no Origin header has: send "https://shop.example"'],
      ['https://shop.example?x=1', 'has a query'],
      ['https://user:pw@shop.example', 'has a user name or password'],
      ['ftp://shop.example', 'uses ftp:, not http or https'],
      ['shop.example', 'is not a URL'],
    ] as const) {
      const refused = await issue(['https://fine.example', origin]);
      expect(refused.status).toBe(400);
      const { error } = await json(refused);
      expect(error).toMatchObject({ code: 'invalid_field', param: 'origins.1' });
      expect(error.message).toContain(`"${origin}" ${says}`);
      expect(error.message).toContain('an origin is scheme://host[:port] with nothing after it, e.g. https://shop.example');
    }
    // Changing a key's origins reads them the same way.
    const patched = await call(`/admin/keys/${issued.id}`, { method: 'PATCH', headers: ADMIN, body: { origins: ['https://NEW.example'] } });
    expect((await json(patched)).origins).toEqual(['https://new.example']);
    const badPatch = await call(`/admin/keys/${issued.id}`, { method: 'PATCH', headers: ADMIN, body: { origins: ['https://new.example/'] } });
    expect((await json(badPatch)).error).toMatchObject({ param: 'origins.0', message: expect.stringContaining('has a trailing "/"') });
  });

  it('validates key requests', async () => {
    const tenant = await createTenant();
    const noOrigin = await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'publishable' } });
    expect(noOrigin.status).toBe(400);
    expect((await json(noOrigin)).error.param).toBe('origins');
    const badOrigin = await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'publishable', origins: ['https://x.example/path'] } });
    expect((await json(badOrigin)).error.param).toBe('origins.0');
    const unknownTenant = await call('/admin/tenants/ten_missing/keys', { headers: ADMIN, body: { kind: 'secret' } });
    expect(unknownTenant.status).toBe(404);
  });

  it('limits a key to its scopes', async () => {
    const tenant = await createTenant({ scopes: ['sentiment'] });
    expect((await sentiment(tenant.auth)).status).toBe(200);
    // Scope enforcement itself: a key row whose scopes exclude the task.
    await env.DB.prepare(`UPDATE api_keys SET scopes = '["embed"]' WHERE id = ?`).bind(tenant.keyId).run();
    const fresh = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'secret', scopes: ['sentiment'] } }));
    await env.DB.prepare(`UPDATE api_keys SET scopes = '["embed"]' WHERE id = ?`).bind(fresh.id).run();
    const denied = await sentiment({ authorization: `Bearer ${fresh.key}` });
    expect(denied.status).toBe(403);
    expect((await json(denied)).error.code).toBe('scope_not_allowed');
  });
});

describe('admin API', () => {
  it('refuses without the admin token, or with a wrong one', async () => {
    const none = await call('/admin/tenants', { body: { name: 'x' } });
    expect(none.status).toBe(401);
    expect((await json(none)).error.code).toBe('invalid_admin_token');
    expect((await call('/admin/tenants', { headers: { authorization: 'Bearer dev-admin-tokeN' }, body: { name: 'x' } })).status).toBe(401);
  });

  it('creates a tenant with default limits and reads it back', async () => {
    const created = await json(await call('/admin/tenants', { headers: ADMIN, body: { name: 'Acme' } }));
    expect(created).toMatchObject({ name: 'Acme', limits: { rpm: expect.any(Number), burst: expect.any(Number), daily_budget_usd: expect.any(Number) } });
    expect(await json(await call(`/admin/tenants/${created.id}`, { headers: ADMIN }))).toEqual(created);
    expect((await call('/admin/tenants/ten_nope', { headers: ADMIN })).status).toBe(404);
  });

  it('applies changed limits to the next request', async () => {
    const tenant = await createTenant();
    expect((await sentiment(tenant.auth)).headers.get('ratelimit-limit')).toBe('1000');
    const patched = await call(`/admin/tenants/${tenant.id}`, { method: 'PATCH', headers: ADMIN, body: { limits: { rpm: 1, burst: 2 } } });
    expect((await json(patched)).limits).toMatchObject({ rpm: 1, burst: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await sentiment(tenant.auth)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('rejects invalid limits, naming the field', async () => {
    const response = await call('/admin/tenants', { headers: ADMIN, body: { name: 'x', limits: { rpm: -1 } } });
    expect(response.status).toBe(400);
    expect((await json(response)).error.param).toBe('limits.rpm');
  });
});
