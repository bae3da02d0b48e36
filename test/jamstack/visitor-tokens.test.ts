import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { signVisitorToken, verifyVisitorToken } from '../../src/security/visitor-token';
import { call, createTenant, json } from '../support/api';
import { OTHER_SITE, publishableKey, sentiment, visitorToken } from './support';

/** What one visitor's default bucket can admit since `startedAt`: the burst (10) plus its refill (20 per minute). */
const burstPlusRefill = (startedAt: number) => 10 + Math.ceil(((Date.now() - startedAt) / 60_000) * 20);

describe('visitor tokens', () => {
  it('issues a signed, expiring token to a publishable key on an allowed origin', async () => {
    const pk = await publishableKey();
    const response = await visitorToken(pk.from());
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const body = await json(response);
    expect(body.token).toMatch(/^v1\.vis_\w+\.key_\w+\.\d+\.-\.[\w-]+$/);
    expect(body.expires_in).toBe(3600);
    expect(Date.parse(body.expires_at) - Date.now()).toBeGreaterThan(3500_000);
  });

  it('takes no body: a field is 400 unknown_field naming it, any other body says the route takes none; nothing, blank or {} issues a token', async () => {
    const pk = await publishableKey();
    const send = (rawBody: string | undefined, type = 'application/json') => call('/v1/visitor-token', { method: 'POST', headers: { ...pk.from(), 'content-type': type }, ...(rawBody === undefined ? {} : { rawBody }) });
    const field = await send(JSON.stringify({ visitor_id: 'vis_mine', ttl: 60 }));
    expect(field.status).toBe(400);
    expect((await json(field)).error).toMatchObject({ code: 'unknown_field', param: 'visitor_id', message: 'Unknown field "visitor_id": POST /v1/visitor-token takes no body; the Turnstile token goes in the cf-turnstile-response header' });
    for (const [body, detail] of [['[1]', '(send none, or {})'], ['"token"', '(send none, or {})'], ['turnstile=abc', 'bytes that are not JSON'], ['x'.repeat(2000), 'sent 2000 bytes']] as const) {
      const refused = await send(body, body.startsWith('t') ? 'application/x-www-form-urlencoded' : 'application/json');
      expect(refused.status).toBe(400);
      const { error } = await json(refused);
      expect(error).toMatchObject({ code: 'invalid_field', message: expect.stringContaining('POST /v1/visitor-token takes no body') });
      expect(error.message).toContain(detail);
    }
    for (const empty of [undefined, '', '  \n', '{}']) expect((await send(empty)).status).toBe(200);
  });

  it('gives the token holder a bucket of its own inside its IP\'s: a token narrows, never widens', async () => {
    const pk = await publishableKey({ visitor_limits: { rpm: 1, burst: 3 } });
    const officeIp = '198.51.100.77';
    const { token } = await json(await visitorToken(pk.from(undefined, officeIp))); // 1 of the IP's 3
    const withToken = pk.from(undefined, officeIp, { 'x-minnow-visitor': token });
    expect((await sentiment(withToken)).status).toBe(200);
    expect((await sentiment(withToken)).status).toBe(200);
    const refused = await sentiment(withToken);
    expect(refused.status).toBe(429);
    expect((await json(refused)).error.message).toMatch(/visitor's rate limit of 1 requests per minute.*each IP address/);
    expect((await sentiment(pk.from(undefined, officeIp))).status).toBe(429);
    // The token's own bucket (1 of 3 left) still works from another IP, which has its own allowance.
    expect((await sentiment(pk.from(undefined, '198.51.100.78', { 'x-minnow-visitor': token }))).status).toBe(200);
  });

  it('holds the visitor limit per IP however many tokens it mints (issue #16: 10 tokens × 15 admitted 100)', async () => {
    const pk = await publishableKey(); // the default visitor limits: burst 10, 20 per minute
    const ip = '198.51.100.90';
    const startedAt = Date.now();
    const tokens: string[] = [];
    let mintRefused = 0;
    for (let i = 0; i < 10; i++) {
      const minted = await visitorToken(pk.from(undefined, ip));
      if (minted.status === 200) tokens.push((await json(minted)).token);
      else mintRefused++;
    }
    let admitted = tokens.length; // minting draws from the IP's bucket too
    for (const token of tokens) {
      for (let r = 0; r < 15; r++) if ((await sentiment(pk.from(undefined, ip, { 'x-minnow-visitor': token }))).status === 200) admitted++;
    }
    expect(tokens.length + mintRefused).toBe(10);
    expect(admitted).toBeGreaterThanOrEqual(10);
    expect(admitted).toBeLessThanOrEqual(burstPlusRefill(startedAt));
    // Another IP has its own allowance, with or without a token.
    expect((await sentiment(pk.from(undefined, '198.51.100.91'))).status).toBe(200);
  });

  it('holds it too when the tokens were minted elsewhere and are all used from one IP', async () => {
    const pk = await publishableKey();
    const tokens: string[] = [];
    for (let i = 0; i < 10; i++) tokens.push((await json(await visitorToken(pk.from(undefined, `198.51.101.${i + 1}`)))).token);
    const ip = '198.51.100.92';
    const startedAt = Date.now();
    let admitted = 0;
    for (const token of tokens) {
      for (let r = 0; r < 15; r++) if ((await sentiment(pk.from(undefined, ip, { 'x-minnow-visitor': token }))).status === 200) admitted++;
    }
    expect(admitted).toBeGreaterThanOrEqual(10);
    expect(admitted).toBeLessThanOrEqual(burstPlusRefill(startedAt));
  });

  it('counts a token minted from IP A and used from IP B against B, never against A', async () => {
    const pk = await publishableKey({ visitor_limits: { rpm: 1, burst: 4 } });
    const [a, b] = ['198.51.100.101', '198.51.100.102'];
    const { token } = await json(await visitorToken(pk.from(undefined, a))); // A: 3 left
    for (let i = 0; i < 3; i++) expect((await sentiment(pk.from(undefined, b))).status).toBe(200); // B: 1 left
    expect((await sentiment(pk.from(undefined, b, { 'x-minnow-visitor': token }))).status).toBe(200); // B: 0, token: 3
    expect((await sentiment(pk.from(undefined, b, { 'x-minnow-visitor': token }))).status).toBe(429);
    // A was not charged for the token's use from B: its 3 are all still there.
    for (let i = 0; i < 3; i++) expect((await sentiment(pk.from(undefined, a))).status).toBe(200);
    expect((await sentiment(pk.from(undefined, a))).status).toBe(429);
  });

  it('counts minting against the IP, so tokens cannot be minted faster than a visitor may call', async () => {
    const pk = await publishableKey({ visitor_limits: { rpm: 1, burst: 2 } });
    const ip = '198.51.100.88';
    expect((await visitorToken(pk.from(undefined, ip))).status).toBe(200);
    expect((await visitorToken(pk.from(undefined, ip))).status).toBe(200);
    expect((await visitorToken(pk.from(undefined, ip))).status).toBe(429);
  });

  it('refuses forged, foreign and expired tokens', async () => {
    const pk = await publishableKey();
    const { token } = await json(await visitorToken(pk.from()));
    const forged = token.replace(/\.[\w-]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const renamed = token.replace(/vis_\w+/, 'vis_someoneElse00000000');
    for (const bad of [forged, renamed, 'not-a-token']) {
      const response = await sentiment(pk.from(undefined, undefined, { 'x-minnow-visitor': bad }));
      expect(response.status).toBe(401);
      expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect((await json(response)).error.code).toBe('invalid_visitor_token');
    }
    const other = await publishableKey();
    const foreign = await sentiment(other.from(undefined, undefined, { 'x-minnow-visitor': token }));
    expect((await json(foreign)).error.message).toMatch(/another key/);

    const expired = await signVisitorToken(env, { visitorId: 'vis_x', keyId: pk.id, expiresAt: Math.floor(Date.now() / 1000) - 1, human: false });
    await expect(verifyVisitorToken(env, expired, pk.id)).rejects.toThrow(/expired/);
  });

  it('is only for publishable keys, and only from their origins', async () => {
    const tenant = await createTenant();
    const secret = await call('/v1/visitor-token', { method: 'POST', headers: tenant.auth });
    expect((await json(secret)).error.code).toBe('publishable_key_required');
    const pk = await publishableKey();
    expect((await json(await visitorToken(pk.from(OTHER_SITE)))).error.code).toBe('origin_not_allowed');
  });

  it('cannot be minted in production without its secret', async () => {
    await expect(signVisitorToken({ ENVIRONMENT: 'production' }, { visitorId: 'v', keyId: 'k', expiresAt: 1, human: false })).rejects.toMatchObject({ code: 'visitor_tokens_unavailable' });
  });
});
