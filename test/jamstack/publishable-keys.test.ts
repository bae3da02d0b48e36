import { describe, expect, it } from 'vitest';
import { ADMIN, call, createTenant, json } from '../support/api';
import { OTHER_SITE, publishableKey, sentiment, SITE } from './support';

describe('publishable keys from browsers', () => {
  it('answers from an allowed origin, with CORS headers', async () => {
    const pk = await publishableKey();
    const response = await sentiment(pk.from());
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(response.headers.get('vary')).toMatch(/origin/i);
    expect(response.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
  });

  it('refuses another origin with a readable 403 that names the origin to allow', async () => {
    const pk = await publishableKey();
    const response = await sentiment(pk.from(OTHER_SITE));
    expect(response.status).toBe(403);
    // Without these the page could not read the error at all.
    expect(response.headers.get('access-control-allow-origin')).toBe(OTHER_SITE);
    expect(response.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
    const { error } = await json(response);
    expect(error).toMatchObject({ type: 'permission_error', code: 'origin_not_allowed' });
    expect(error.message).toContain(`"${OTHER_SITE}"`);
    expect(error.request_id).toBe(response.headers.get('x-request-id'));
  });

  it('refuses a publishable key without an Origin (a server should use a secret key)', async () => {
    const pk = await publishableKey();
    const response = await sentiment(pk.from(''));
    expect(response.status).toBe(403);
    expect((await json(response)).error.message).toMatch(/no Origin header/);
  });

  it('explains the opaque origin of file:// pages and sandboxed frames', async () => {
    const pk = await publishableKey();
    const response = await sentiment(pk.from('null'));
    expect(response.status).toBe(403);
    expect((await json(response)).error.message).toMatch(/file:\/\/ page or a sandboxed frame/);
  });

  it('answers any preflight: it carries no key, so the real request is where the origin is judged', async () => {
    const response = await call('/v1/sentiment', {
      method: 'OPTIONS',
      headers: { origin: OTHER_SITE, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, x-minnow-visitor' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(OTHER_SITE);
    const allowed = response.headers.get('access-control-allow-headers')!.toLowerCase();
    for (const header of ['authorization', 'content-type', 'x-minnow-visitor', 'cf-turnstile-response']) expect(allowed).toContain(header);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses a task outside the key scope', async () => {
    const pk = await publishableKey({ scopes: ['sentiment'] });
    expect((await sentiment(pk.from())).status).toBe(200);
    const response = await call('/v1/language', { headers: pk.from(), body: { text: 'Bonjour' } });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
    expect((await json(response)).error).toMatchObject({ code: 'scope_not_allowed' });
  });

  it('does not accept a publishable key for account data', async () => {
    const pk = await publishableKey();
    const response = await call('/v1/usage', { headers: pk.from() });
    expect(response.status).toBe(403);
    expect((await json(response)).error.code).toBe('secret_key_required');
  });

  it('refuses a publishable key on management routes before reading their body: 403, not a 400 to fix first', async () => {
    const pk = await publishableKey();
    for (const path of ['/v1/classifiers', '/v1/bots', '/v1/webhooks', '/v1/kb', '/v1/batches']) {
      const response = await call(path, { headers: pk.from(), body: { wrong: true } });
      expect(response.status, path).toBe(403);
      const { error } = await json(response);
      expect(error.code, path).toBe('secret_key_required');
      expect(error.message, path).toContain('publishable keys (pk_…) only run tasks, chat with bots and search knowledge bases');
    }
  });
});

describe('secret keys from browsers', () => {
  it('refuses a secret key sent by a page of another origin, before any lookup, and says why', async () => {
    const tenant = await createTenant();
    const response = await sentiment({ ...tenant.auth, origin: SITE });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
    const { error } = await json(response);
    expect(error.code).toBe('secret_key_in_browser');
    expect(error.message).toMatch(/publishable key \(pk_/);
    expect(error.message).not.toContain(tenant.key);
    // Even a key that does not exist gets the same answer: no lookup happened.
    const unknown = await sentiment({ authorization: 'Bearer sk_00000000000000000000000000000000', origin: SITE });
    expect((await json(unknown)).error.code).toBe('secret_key_in_browser');
  });

  it('still serves servers (no Origin) and the Worker’s own pages (same origin)', async () => {
    const tenant = await createTenant();
    expect((await sentiment(tenant.auth)).status).toBe(200);
    expect((await sentiment({ ...tenant.auth, origin: 'https://minnow.test' })).status).toBe(200);
    expect((await call('/v1/usage', { headers: { ...tenant.auth, origin: 'https://minnow.test' } })).status).toBe(200);
    expect((await call('/v1/usage', { headers: { ...tenant.auth, origin: SITE } })).status).toBe(403);
  });
});

describe('issuing publishable keys', () => {
  it('takes per-visitor limits and a Turnstile secret, and never returns the secret', async () => {
    const pk = await publishableKey({ visitor_limits: { rpm: 5, burst: 3 }, turnstile_secret: 'ts-secret-never-shown' });
    const listed = await json(await call(`/admin/tenants/${pk.tenant.id}/keys`, { headers: ADMIN }));
    const summary = listed.data.find((key: { id: string }) => key.id === pk.id);
    expect(summary).toMatchObject({ kind: 'publishable', origins: [SITE], visitor_limits: { rpm: 5, burst: 3 }, turnstile: true });
    expect(JSON.stringify(listed)).not.toContain('ts-secret-never-shown');
  });

  it('refuses visitor settings on a secret key', async () => {
    const tenant = await createTenant();
    const response = await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'secret', visitor_limits: { rpm: 5, burst: 3 } } });
    expect(response.status).toBe(400);
    expect((await json(response)).error.param).toBe('kind');
  });
});
