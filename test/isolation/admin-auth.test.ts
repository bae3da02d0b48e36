import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { AUTH_FAILURE_LIMITS } from '../../src/durable-objects/auth-throttle/auth-throttle';
import { authThrottleFor } from '../../src/durable-objects/auth-throttle/client';
import { DEV_ADMIN_TOKEN } from '../../src/http/admin-auth';
import { constantTimeEqual } from '../../src/security/crypto';
import { ADMIN, call, createTenant, json } from '../support/api';

const ADMIN_ROUTES: [string, string, unknown?][] = [
  ['POST', '/admin/tenants', { name: 'x' }],
  ['GET', '/admin/tenants/ten_x'],
  ['PATCH', '/admin/tenants/ten_x', { name: 'x' }],
  ['POST', '/admin/tenants/ten_x/keys', { kind: 'secret' }],
  ['GET', '/admin/tenants/ten_x/keys'],
  ['PATCH', '/admin/keys/key_x', { scopes: ['*'] }],
  ['DELETE', '/admin/keys/key_x'],
  ['GET', '/admin/tenants/ten_x/tasks'],
  ['PUT', '/admin/tenants/ten_x/tasks/sentiment', { providers: ['local'] }],
  ['DELETE', '/admin/tenants/ten_x/tasks/sentiment'],
  ['GET', '/admin/tenants/ten_x/model-aliases'],
  ['PUT', '/admin/tenants/ten_x/model-aliases/gpt-4o-mini', { target: '@cf/meta/llama-3.2-1b-instruct' }],
  ['DELETE', '/admin/tenants/ten_x/model-aliases/gpt-4o-mini'],
];

/** Same length as the real token, differing only in the last character: a timing attack's best guess. */
const NEAR_MISS = `${DEV_ADMIN_TOKEN.slice(0, -1)}X`;

describe('the admin API', () => {
  it.each(ADMIN_ROUTES)('%s %s refuses no token, a near miss of the same length, another length, and a tenant key', async (method, path, body) => {
    const tenant = await createTenant();
    // Each route's guesses from an address of its own: 5 wrong tokens, within the 10 an address may fail.
    const from = { 'cf-connecting-ip': `198.18.${ADMIN_ROUTES.findIndex(([m, p]) => m === method && p === path)}.1` };
    for (const headers of [{}, { authorization: `Bearer ${NEAR_MISS}` }, { authorization: `Bearer ${DEV_ADMIN_TOKEN}x` }, { authorization: 'Bearer ' }, { 'x-api-key': NEAR_MISS }, tenant.auth]) {
      const response = await call(path, { method, headers: { ...from, ...headers }, ...(body === undefined ? {} : { body }) });
      expect(response.status, JSON.stringify(headers)).toBe(401);
      const error = (await json(response)).error;
      expect(error.code).toBe('invalid_admin_token');
      expect(error.message).not.toContain(DEV_ADMIN_TOKEN);
    }
    // The right token gets past the guard (to a 404 for the made-up ids, or the answer).
    expect((await call(path, { method, headers: { ...from, ...ADMIN }, ...(body === undefined ? {} : { body }) })).status).not.toBe(401);
  });

  it('compares the token in constant time: hashed to equal lengths, then timingSafeEqual, for every guess', async () => {
    const spy = vi.spyOn(crypto.subtle, 'timingSafeEqual');
    try {
      for (const guess of [NEAR_MISS, 'x', `${DEV_ADMIN_TOKEN}${'x'.repeat(100)}`]) {
        spy.mockClear();
        expect((await call('/admin/tenants/ten_x', { headers: { authorization: `Bearer ${guess}`, 'cf-connecting-ip': '198.18.100.1' } })).status).toBe(401);
        // Called once, on two 32-byte digests, whatever the guess's length.
        expect(spy).toHaveBeenCalledTimes(1);
        const [left, right] = spy.mock.calls[0]! as [ArrayBuffer, ArrayBuffer];
        expect([left.byteLength, right.byteLength]).toEqual([32, 32]);
      }
    } finally {
      spy.mockRestore();
    }
    expect(await constantTimeEqual(DEV_ADMIN_TOKEN, DEV_ADMIN_TOKEN)).toBe(true);
    expect(await constantTimeEqual(DEV_ADMIN_TOKEN, NEAR_MISS)).toBe(false);
    expect(await constantTimeEqual('', DEV_ADMIN_TOKEN)).toBe(false);
  });

  it('throttles guessing per client address: 10 wrong tokens, then 429 with Retry-After, even for the right one (issue #16)', async () => {
    const attacker = { 'cf-connecting-ip': '198.18.200.1' };
    const guess = (token: string, from: Record<string, string> = attacker) => call('/admin/tenants/ten_x', { headers: { ...from, authorization: `Bearer ${token}` } });
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => guess(`guess-${i}`).then((response) => response.status)));
    // Exact under concurrency: 10 judged wrong, every other one refused before it is compared.
    expect(statuses.filter((status) => status === 401)).toHaveLength(AUTH_FAILURE_LIMITS.burst);
    expect(statuses.filter((status) => status === 429)).toHaveLength(30 - AUTH_FAILURE_LIMITS.burst);
    const refused = await guess(DEV_ADMIN_TOKEN);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const { error } = await json(refused);
    expect(error).toMatchObject({ type: expect.any(String), code: 'too_many_auth_failures', request_id: expect.any(String) });
    expect(error.message).toMatch(/retry after \d+ s/);
    // Another address is unaffected: its right token works, its wrong one is a plain 401.
    expect((await guess(DEV_ADMIN_TOKEN, { 'cf-connecting-ip': '198.18.200.2' })).status).toBe(404);
    expect((await guess('wrong', { 'cf-connecting-ip': '2001:db8::7' })).status).toBe(401);
    // No token at all is not a guess: it is not counted against the address.
    const quiet = { 'cf-connecting-ip': '198.18.200.3' };
    for (let i = 0; i < 15; i++) expect((await call('/admin/tenants/ten_x', { headers: quiet })).status).toBe(401);
    expect((await guess(DEV_ADMIN_TOKEN, quiet)).status).toBe(404);
  });

  it('lets an address guess again as its failures refill (one a minute), and keeps no address', async () => {
    const stub = await authThrottleFor(env, 'admin', '198.18.201.1');
    const t0 = Date.now();
    for (let i = 0; i < AUTH_FAILURE_LIMITS.burst; i++) expect((await stub.attempt(false, t0)).allowed).toBe(true);
    expect(await stub.attempt(true, t0)).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(await stub.attempt(true, t0 + 59_000)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect((await stub.attempt(false, t0 + 60_000)).allowed).toBe(true);
    expect((await stub.attempt(true, t0 + 60_000)).allowed).toBe(false);
    await runInDurableObject(stub, async (_throttle, state) => {
      const rows = [...state.storage.sql.exec('SELECT * FROM failures')];
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain('198.18');
    });
  });
});
