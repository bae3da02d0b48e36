import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ADMIN, call, createTenant, json } from './support/api';

async function expectError(response: Response, status: number, code: string, param?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = await json(response);
  expect(body.error.code).toBe(code);
  expect(body.error.type).toEqual(expect.any(String));
  expect(body.error.message).toEqual(expect.any(String));
  expect(body.error.request_id).toBe(response.headers.get('x-request-id'));
  if (param !== undefined) expect(body.error.param).toBe(param);
  expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
  return body;
}

describe('one error shape for everything', () => {
  it('rejects malformed JSON', async () => {
    const tenant = await createTenant();
    await expectError(await call('/v1/sentiment', { headers: { ...tenant.auth, 'content-type': 'application/json' }, rawBody: '{"text": "unterminated' }), 400, 'invalid_json');
  });

  it('refuses a body that is not UTF-8, and a charset that is not, instead of garbling what was sent', async () => {
    const tenant = await createTenant();
    const send = (body: BodyInit, type = 'application/json') => SELF.fetch('https://minnow.test/v1/answer', { method: 'POST', headers: { ...tenant.auth, 'content-type': type }, body });
    const latin1 = new Uint8Array([...new TextEncoder().encode('{"question":"where?","context":"Our caf'), 0xe9, ...new TextEncoder().encode(' is in Paris."}')]);
    const refused = await expectError(await send(latin1), 400, 'invalid_utf8');
    expect(refused.error.message).toContain('UTF-8');
    await expectError(await send(latin1, 'application/json; charset=iso-8859-1'), 415, 'unsupported_media_type');
    const utf8 = JSON.stringify({ question: 'where?', context: 'Our café is in Paris.' });
    for (const type of ['application/json; charset=utf-8', 'application/json;charset="UTF-8"', 'application/json']) {
      const answered = await send(utf8, type);
      expect(answered.status, type).toBe(200);
      expect(JSON.stringify(await json(answered))).not.toContain('\ufffd');
    }
  });

    it("says a range or size in the API's words, not the validator's, naming the field", async () => {
    const tenant = await createTenant();
    const zero = await expectError(await call('/v1/batches?limit=0', { headers: tenant.auth }), 400, 'invalid_field', 'limit');
    expect(zero.error.message).toBe('Invalid "limit": must be at least 1');
    const word = await expectError(await call('/v1/batches?limit=abc', { headers: tenant.auth }), 400, 'invalid_field', 'limit');
    expect(word.error.message).toBe('Invalid "limit": must be a number');
    const topK = await expectError(await call('/v1/rerank', { headers: tenant.auth, body: { query: 'refund', documents: ['a'], top_k: 0 } }), 400, 'invalid_field', 'top_k');
    expect(topK.error.message).toBe('Invalid "top_k": must be at least 1');
    // A schema's own message stays as it is.
    const empty = await expectError(await call('/v1/sentiment', { headers: tenant.auth, body: { text: '' } }), 400, 'invalid_field', 'text');
    expect(empty.error.message).toBe('Invalid "text": must not be empty');
  });

    it('names a missing field', async () => {
    const tenant = await createTenant();
    await expectError(await call('/v1/sentiment', { headers: tenant.auth, body: {} }), 400, 'missing_field', 'text');
  });

  it('names an unknown field instead of dropping it', async () => {
    const tenant = await createTenant();
    await expectError(await call('/v1/sentiment', { headers: tenant.auth, body: { text: 'hi', txet: 'typo' } }), 400, 'unknown_field', 'txet');
  });

  it('names the bad item of a batch', async () => {
    const tenant = await createTenant();
    await expectError(await call('/v1/sentiment', { headers: tenant.auth, body: { text: ['fine', ''] } }), 400, 'invalid_field', 'text.1');
    await expectError(await call('/v1/sentiment', { headers: tenant.auth, body: { text: 42 } }), 400, 'invalid_field', 'text');
  });

  it('bounds batch size and text length', async () => {
    const tenant = await createTenant();
    const tooMany = await expectError(await call('/v1/sentiment', { headers: tenant.auth, body: { text: Array.from({ length: 101 }, () => 'x') } }), 400, 'invalid_field', 'text');
    expect(tooMany.error.message).toContain('at most 100 texts');
    await expectError(await call('/v1/sentiment', { headers: tenant.auth, body: { text: 'x'.repeat(20_001) } }), 400, 'invalid_field', 'text');
  });

  it('answers 404 for an unknown route and 405 with Allow for a wrong method', async () => {
    await expectError(await call('/v1/nope'), 404, 'not_found');
    const wrongMethod = await call('/healthz', { method: 'DELETE' });
    await expectError(wrongMethod, 405, 'method_not_allowed');
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('refuses a body over the documented limit with 413', async () => {
    const tenant = await createTenant();
    const huge = JSON.stringify({ text: 'a'.repeat(1024 * 1024 + 10) });
    await expectError(await call('/v1/sentiment', { headers: { ...tenant.auth, 'content-type': 'application/json' }, rawBody: huge }), 413, 'body_too_large');
  });

  it('refuses a body that is not JSON with 415', async () => {
    const tenant = await createTenant();
    await expectError(await call('/v1/sentiment', { headers: { ...tenant.auth, 'content-type': 'text/plain' }, rawBody: 'text=hi' }), 415, 'unsupported_media_type');
  });

  it('answers 401 for a missing, malformed or unknown key, before reading the body', async () => {
    await expectError(await call('/v1/sentiment', { body: { text: 'hi' } }), 401, 'missing_api_key');
    await expectError(await call('/v1/sentiment', { headers: { authorization: 'Bearer nope' }, body: { text: 'hi' } }), 401, 'invalid_api_key');
    await expectError(await call('/v1/sentiment', { headers: { authorization: `Bearer sk_${'A'.repeat(32)}` }, body: { text: 'hi' } }), 401, 'invalid_api_key');
  });

  it('answers 403 when the key has no scope for the task', async () => {
    const tenant = await createTenant();
    const unknownScope = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'secret', scopes: ['astrology'] } }));
    expect(unknownScope.error?.param).toBe('scopes.0');
    const issued = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'secret', scopes: ['classify'] } }));
    const denied = await call('/v1/sentiment', { headers: { authorization: `Bearer ${issued.key}` }, body: { text: 'hi' } });
    await expectError(denied, 403, 'scope_not_allowed');
  });

  it('answers 429 with Retry-After when the rate limit is hit', async () => {
    const tenant = await createTenant({ limits: { rpm: 1, burst: 1 } });
    expect((await call('/v1/sentiment', { headers: tenant.auth, body: { text: 'ok' } })).status).toBe(200);
    const limited = await call('/v1/sentiment', { headers: tenant.auth, body: { text: 'ok' } });
    await expectError(limited, 429, 'rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
  });

  it('answers 402 with the reset time when the budget is spent', async () => {
    const tenant = await createTenant({ limits: { daily_budget_usd: 0 } });
    const response = await call('/v1/sentiment', { headers: tenant.auth, body: { text: 'ok' } });
    await expectError(response, 402, 'budget_exhausted');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('maps upstream failures to 502, 503 and 504', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const overloaded = await call('/v1/sentiment', { headers: tenant.auth, body: { text: 'busy [[ai:3040]]' } });
    await expectError(overloaded, 503, 'upstream_overloaded');
    expect(overloaded.headers.get('retry-after')).toBeTruthy();
    await expectError(await call('/v1/sentiment', { headers: tenant.auth, body: { text: 'slow [[ai:hang]]' } }), 504, 'upstream_timeout');
    await expectError(await call('/v1/sentiment', { headers: tenant.auth, body: { text: 'odd [[ai:wrong-shape]]' } }), 502, 'upstream_bad_response');
  });
});
