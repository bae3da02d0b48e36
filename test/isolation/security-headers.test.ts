import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, createTenant, type TestTenant } from '../support/api';

let tenant: TestTenant;
let limited: TestTenant;
beforeAll(async () => {
  [tenant, limited] = await Promise.all([createTenant(), createTenant({ limits: { rpm: 1, burst: 1 } })]);
});

/** One request per kind of answer and per route family: successes, every error status, preflights, pages and scripts. */
const cases = (): [string, () => Promise<Response>][] => [
  ['GET / (playground)', () => call('/')],
  ['GET /docs', () => call('/docs')],
  ['GET /dashboard', () => call('/dashboard')],
  ['GET /openapi.json', () => call('/openapi.json')],
  ['GET /healthz', () => call('/healthz')],
  ['GET /sdk.js', () => call('/sdk.js')],
  ['GET /components.js', () => call('/components.js')],
  ['GET /sdk.d.ts', () => call('/sdk.d.ts')],
  ['304 /sdk.js', async () => call('/sdk.js', { headers: { 'if-none-match': (await call('/sdk.js')).headers.get('etag')! } })],
  ['preflight /v1/sentiment', () => call('/v1/sentiment', { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } })],
  ['400 task', () => call('/v1/sentiment', { headers: tenant.auth, body: { nope: 1 } })],
  ['401 task', () => call('/v1/sentiment', { body: { text: 'x' } })],
  ['403 secret key from a browser', () => call('/v1/sentiment', { headers: { ...tenant.auth, origin: 'https://evil.example' }, body: { text: 'x' } })],
  ['404 unknown route', () => call('/v1/nothing-here')],
  ['404 unknown knowledge base', () => call('/v1/kb/kb_missing', { headers: tenant.auth })],
  ['405 wrong method', () => call('/v1/sentiment')],
  ['413 body too large', () => call('/v1/sentiment', { headers: tenant.auth, body: { text: 'a'.repeat(1_100_000) } })],
  ['415 wrong content type', () => call('/v1/sentiment', { method: 'POST', headers: { ...tenant.auth, 'content-type': 'text/plain' }, rawBody: 'x' })],
  ['429 rate limited', async () => {
    await call('/v1/usage', { headers: limited.auth });
    return call('/v1/usage', { headers: limited.auth });
  }],
  ['401 admin', () => call('/admin/tenants', { body: { name: 'x' } })],
  ['404 admin', () => call('/admin/tenants/ten_missing', { headers: ADMIN })],
  ['404 inbound hook', () => call('/hooks/hk_missing', { body: {} })],
  ['404 webhooks', () => call('/v1/webhooks/hk_missing', { headers: tenant.auth })],
  ['404 conversations', () => call('/v1/conversations/conv_missing', { headers: tenant.auth })],
  ['404 bots', () => call('/v1/bots/bot_missing', { headers: tenant.auth })],
  ['HEAD /healthz', () => SELF.fetch('https://minnow.test/healthz', { method: 'HEAD' })],
];

const HTML_PAGES = ['GET / (playground)', 'GET /docs', 'GET /dashboard'];

describe('security headers', () => {
  it.each(cases().map(([name]) => [name] as const))('%s carries them', async (name) => {
    const response = await cases().find(([candidate]) => candidate === name)![1]();
    // A name that starts with a status is that status; the others are successes (preflights are 204).
    const expected = /^\d{3}/.exec(name)?.[0];
    if (expected) expect(response.status, name).toBe(Number(expected));
    else expect(response.status, name).toBeLessThan(300);
    const headers = Object.fromEntries(response.headers);
    expect(headers['x-content-type-options'], name).toBe('nosniff');
    expect(headers['strict-transport-security'], name).toMatch(/max-age=\d{7,}/);
    expect(headers['x-frame-options'], name).toMatch(/^(DENY|SAMEORIGIN)$/);
    expect(headers['referrer-policy'], name).toBe('no-referrer');
    expect(headers['x-request-id'], name).toMatch(/^req_[0-9a-f]{32}$/);
    expect(headers['x-powered-by'], name).toBeUndefined();
    if (HTML_PAGES.includes(name)) {
      const policy = headers['content-security-policy'] ?? '';
      expect(policy, name).toMatch(/default-src 'none'|default-src 'self'/);
      expect(policy, name).toMatch(/frame-ancestors 'none'|frame-ancestors 'self'/);
      if (!policy.includes("default-src 'none'")) expect(policy, name).toContain("object-src 'none'");
      expect(policy, name).not.toMatch(/script-src[^;]*'unsafe-eval'/);
    }
    if (response.status >= 400) expect(headers['content-type'], name).toMatch(/^application\/json/);
  });
});

describe('CORS on the API', () => {
  it('a browser request from any origin can read the answer and its headers; one without Origin gets no CORS grant, only Vary', async () => {
    const text = 'I love this product, it works very well';
    const browser = await call('/v1/sentiment', { headers: { ...tenant.auth, origin: `https://minnow.test` }, body: { text } });
    expect(browser.status).toBe(200);
    expect(browser.headers.get('access-control-allow-origin')).toBe('https://minnow.test');
    expect(browser.headers.get('access-control-expose-headers')).toContain('x-minnow-cost-usd');
    expect(browser.headers.get('access-control-expose-headers')).toContain('x-minnow-warnings');
    expect(browser.headers.get('vary')).toMatch(/Origin/);
    for (const origin of [undefined, '']) {
      const server = await call('/v1/sentiment', { headers: { ...tenant.auth, ...(origin === undefined ? {} : { origin }) }, body: { text } });
      expect(server.status).toBe(200);
      expect(server.headers.get('access-control-allow-origin')).toBeNull();
      expect(server.headers.get('access-control-expose-headers')).toBeNull();
      expect(server.headers.get('vary')).toMatch(/Origin/);
      expect(server.headers.get('x-request-id')).toMatch(/^req_/);
      expect(server.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
    }
    const failed = await call('/v1/sentiment', { headers: tenant.auth, body: { nope: 1 } });
    expect(failed.status).toBe(400);
    expect(failed.headers.get('vary')).toMatch(/Origin/);
  });
});
