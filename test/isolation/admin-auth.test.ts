import { describe, expect, it, vi } from 'vitest';
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
    for (const headers of [{}, { authorization: `Bearer ${NEAR_MISS}` }, { authorization: `Bearer ${DEV_ADMIN_TOKEN}x` }, { authorization: 'Bearer ' }, { 'x-api-key': NEAR_MISS }, tenant.auth]) {
      const response = await call(path, { method, headers, ...(body === undefined ? {} : { body }) });
      expect(response.status, JSON.stringify(headers)).toBe(401);
      const error = (await json(response)).error;
      expect(error.code).toBe('invalid_admin_token');
      expect(error.message).not.toContain(DEV_ADMIN_TOKEN);
    }
    // The right token gets past the guard (to a 404 for the made-up ids, or the answer).
    expect((await call(path, { method, headers: ADMIN, ...(body === undefined ? {} : { body }) })).status).not.toBe(401);
  });

  it('compares the token in constant time: hashed to equal lengths, then timingSafeEqual, for every guess', async () => {
    const spy = vi.spyOn(crypto.subtle, 'timingSafeEqual');
    try {
      for (const guess of [NEAR_MISS, 'x', `${DEV_ADMIN_TOKEN}${'x'.repeat(100)}`]) {
        spy.mockClear();
        expect((await call('/admin/tenants/ten_x', { headers: { authorization: `Bearer ${guess}` } })).status).toBe(401);
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
});
