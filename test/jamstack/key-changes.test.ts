import { describe, expect, it } from 'vitest';
import { ADMIN, call, createTenant, json } from '../support/api';
import { OTHER_SITE, publishableKey, sentiment, SITE } from './support';

const patch = (keyId: string, body: Record<string, unknown>) => call(`/admin/keys/${keyId}`, { method: 'PATCH', headers: ADMIN, body });

describe('changing a publishable key in place', () => {
  it('allows a new origin on the next request, without a new key', async () => {
    const pk = await publishableKey();
    expect((await sentiment(pk.from(OTHER_SITE))).status).toBe(403);
    const response = await patch(pk.id, { origins: [SITE, OTHER_SITE] });
    expect(response.status).toBe(200);
    expect(await json(response)).toMatchObject({ id: pk.id, origins: [SITE, OTHER_SITE] });
    expect((await sentiment(pk.from(OTHER_SITE))).status).toBe(200);
    await patch(pk.id, { origins: [OTHER_SITE] });
    expect((await sentiment(pk.from(SITE))).status).toBe(403);
  });

  it('changes visitor limits and scopes, and turns Turnstile on and off', async () => {
    const pk = await publishableKey();
    const changed = await json(await patch(pk.id, { visitor_limits: { rpm: 1, burst: 1 }, scopes: ['sentiment'], turnstile_secret: 'ts-secret-patch' }));
    expect(changed).toMatchObject({ visitor_limits: { rpm: 1, burst: 1 }, scopes: ['sentiment'], turnstile: true });
    expect(JSON.stringify(changed)).not.toContain('ts-secret-patch');
    expect((await json(await sentiment(pk.from()))).error.code).toBe('turnstile_required');
    const off = await json(await patch(pk.id, { turnstile_secret: null, visitor_limits: null }));
    expect(off).toMatchObject({ visitor_limits: null, turnstile: false });
    expect((await sentiment(pk.from())).status).toBe(200);
    expect((await call('/v1/language', { headers: pk.from(), body: { text: 'Hallo' } })).status).toBe(403);
  });

  it('refuses browser settings on a secret key, and unknown or revoked keys', async () => {
    const tenant = await createTenant();
    const secret = await patch(tenant.keyId, { origins: [SITE] });
    expect(secret.status).toBe(400);
    expect((await json(secret)).error).toMatchObject({ code: 'invalid_field', param: 'origins' });
    expect((await json(await patch(tenant.keyId, { scopes: ['sentiment'] }))).scopes).toEqual(['sentiment']);
    expect((await patch('key_missing', { scopes: ['sentiment'] })).status).toBe(404);
    await call(`/admin/keys/${tenant.keyId}`, { method: 'DELETE', headers: ADMIN });
    expect((await json(await patch(tenant.keyId, { scopes: ['*'] }))).error.code).toBe('key_revoked');
    expect((await patch(tenant.keyId, { origins: [] })).status).toBe(400);
  });

  it('needs the admin token', async () => {
    const pk = await publishableKey();
    expect((await call(`/admin/keys/${pk.id}`, { method: 'PATCH', body: { origins: [OTHER_SITE] } })).status).toBe(401);
  });
});
