import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/contracts/errors';
import { sealTurnstileSecret, verifyTurnstile } from '../../src/security/turnstile';
import { json } from '../support/api';
import { publishableKey, sentiment, visitorToken } from './support';

const siteverifyCalls = async (response: string) => {
  const url = new URL(env.TURNSTILE_SITEVERIFY_URL!);
  const reply = await fetch(`${url.origin}/__calls?response=${encodeURIComponent(response)}`);
  return ((await reply.json()) as { calls: { secret: string; remoteip: string | null }[] }).calls;
};

describe('Turnstile bot protection', () => {
  it('is off by default: no siteverify call, no token needed', async () => {
    const pk = await publishableKey();
    const token = `pass-${crypto.randomUUID()}`;
    expect((await sentiment(pk.from(undefined, undefined, { 'cf-turnstile-response': token }))).status).toBe(200);
    expect(await siteverifyCalls(token)).toEqual([]);
  });

  it('when on, refuses requests without a passed check', async () => {
    const pk = await publishableKey({ turnstile_secret: 'ts-secret-1' });
    const missing = await sentiment(pk.from());
    expect(missing.status).toBe(403);
    expect((await json(missing)).error.code).toBe('turnstile_required');
    const failing = await sentiment(pk.from(undefined, undefined, { 'cf-turnstile-response': `fail-${crypto.randomUUID()}` }));
    expect(failing.status).toBe(403);
    const { error } = await json(failing);
    expect(error.code).toBe('turnstile_failed');
    expect(error.message).toContain('invalid-input-response');
  });

  it('when on, verifies the widget token with the key’s secret and the visitor IP', async () => {
    const pk = await publishableKey({ turnstile_secret: 'ts-secret-2' });
    const token = `pass-${crypto.randomUUID()}`;
    expect((await sentiment(pk.from(undefined, '203.0.113.9', { 'cf-turnstile-response': token }))).status).toBe(200);
    expect(await siteverifyCalls(token)).toEqual([{ secret: 'ts-secret-2', response: token, remoteip: '203.0.113.9' }]);
  });

  it('exchanges one passed check for a visitor token that covers later requests', async () => {
    const pk = await publishableKey({ turnstile_secret: 'ts-secret-3' });
    expect((await json(await visitorToken(pk.from()))).error.code).toBe('turnstile_required');
    const minted = await visitorToken(pk.from(undefined, undefined, { 'cf-turnstile-response': `pass-${crypto.randomUUID()}` }));
    expect(minted.status).toBe(200);
    const { token } = await json(minted);
    expect(token).toMatch(/\.h\.[\w-]+$/);
    for (let i = 0; i < 2; i++) expect((await sentiment(pk.from(undefined, undefined, { 'x-minnow-visitor': token }))).status).toBe(200);
  });

  it('offline (siteverify unreachable, as under npm start without a network) answers 503 turnstile_unavailable, even for Cloudflare’s always-pass test secret', async () => {
    // docs/jamstack.md: Cloudflare's test secrets are answered by siteverify itself, so minnow calls
    // it for them too; nothing passes without an answer. Port 9 on loopback: nothing listens (workerd logs the refused connection).
    const offline = { ...env, TURNSTILE_SITEVERIFY_URL: 'http://127.0.0.1:9/siteverify' };
    const sealedSecret = await sealTurnstileSecret(offline, 'ten_offline', '1x0000000000000000000000000000000AA');
    const refused = await verifyTurnstile(offline, { tenantId: 'ten_offline', sealedSecret, token: 'XXXX.DUMMY.TOKEN.XXXX', ip: undefined }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 503, code: 'turnstile_unavailable', headers: { 'Retry-After': '2' } });
  });
});
