import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { call, json } from '../support/api';
import { publishableKey } from '../jamstack/support';
import { fixture } from './support/fixture';
import { failOnErrorLogs } from './support/error-logs';
import { runs, TIMEOUT_MS } from './support/runs';
import { expectWellFormed } from './support/well-formed';

vi.setConfig({ testTimeout: TIMEOUT_MS });
failOnErrorLogs();

/** Printable ASCII (CR, LF and NUL cannot be sent by fetch at all; bytes past 0x7F only draw runtime warnings). */
const headerValue = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 200 }),
  fc.constantFrom('<script>alert(1)</script>', '"><img src=x>', 'https://evil.example', 'null', 'https://a.example, https://b.example', '\t', 'x'.repeat(129), `https://${'a'.repeat(60_000)}.example`),
).filter((value) => value.trim() === value);

const SAFE_CLIENT_ID = /^[\w\-=.:]{1,128}$/;

describe('echoed headers', () => {
  it('echoes a caller\'s request id only when it is a plain token, and never takes it as its own', async () => {
    await fc.assert(
      fc.asyncProperty(headerValue, fc.constantFrom('x-client-request-id', 'x-request-id'), async (value, name) => {
        const response = await call('/healthz', { headers: { [name]: value } });
        await expectWellFormed(response, `${name}: ${value.slice(0, 80)}`);
        const echoed = response.headers.get('x-client-request-id');
        if (echoed !== null) {
          expect(echoed).toBe(value);
          expect(echoed).toMatch(SAFE_CLIENT_ID);
        }
        expect(response.headers.get('x-request-id')).not.toBe(value);
      }),
      runs(30),
    );
  });

  it('reflects an Origin into CORS headers only when it is a well-formed origin', async () => {
    const { tenant } = await fixture();
    await fc.assert(
      fc.asyncProperty(headerValue, fc.constantFrom('GET', 'OPTIONS'), async (origin, method) => {
        const headers: Record<string, string> = method === 'OPTIONS' ? { origin, 'access-control-request-method': 'POST' } : { ...tenant.auth, origin };
        const response = await call('/v1/models', { method, headers });
        await expectWellFormed(response, `${method} Origin: ${origin.slice(0, 80)}`);
        const allowed = response.headers.get('access-control-allow-origin');
        if (allowed !== null) {
          expect(allowed).toBe(origin);
          if (origin !== 'null') expect(new URL(origin).origin).toBe(origin);
        }
      }),
      runs(30),
    );
  });
});

describe('hostile credentials and visitor headers', () => {
  it('answers any Authorization or x-api-key value with 401 in the error shape', async () => {
    await fc.assert(
      fc.asyncProperty(headerValue, fc.constantFrom('authorization', 'x-api-key'), fc.constantFrom('', 'Bearer ', 'Basic ', 'bearer  '), async (value, name, scheme) => {
        const response = await call('/v1/sentiment', { headers: { [name]: `${scheme}${value}`.trim() || 'x' }, body: { text: 'hi' } });
        await expectWellFormed(response, `${name}: ${scheme}${value.slice(0, 80)}`);
        expect(response.status).toBe(401);
      }),
      runs(30),
    );
  });

  it('answers any visitor token, Turnstile token or client IP on a publishable key without a 5xx', async () => {
    const site = await publishableKey({ visitor_limits: { rpm: 100_000, burst: 100_000 } }, { limits: { rpm: 1_000_000, burst: 1_000_000, daily_budget_usd: 1_000 } });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('x-minnow-visitor', 'cf-turnstile-response', 'cf-connecting-ip', 'cache-control'), headerValue, async (name, value) => {
        const response = await call('/v1/sentiment', { headers: site.from(undefined, undefined, { [name]: value }), body: { text: 'I love this shop' } });
        await expectWellFormed(response, `${name}: ${value.slice(0, 80)}`);
        // An empty header is no token at all; anything else that is not a token of this key is refused.
        if (name === 'x-minnow-visitor' && value !== '') expect(response.status).toBe(401);
      }),
      runs(30),
    );
  });

  it('answers oversized headers without a 5xx', async () => {
    const { tenant } = await fixture();
    for (const size of [16 * 1024, 64 * 1024, 120 * 1024]) {
      const big = 'a'.repeat(size);
      for (const headers of <Record<string, string>[]>[{ 'x-filler': big }, { 'x-client-request-id': big }, { authorization: `Bearer ${big}` }, { ...tenant.auth, origin: `https://${big}` }]) {
        const response = await call('/v1/sentiment', { headers: { ...tenant.auth, ...headers }, body: { text: 'hi' } });
        const body = await expectWellFormed(response, `${Object.keys(headers).join(',')} of ${size} bytes`);
        // Whatever is echoed into a message is bounded, not the whole header.
        if (response.status >= 400) expect(JSON.stringify(body).length).toBeLessThan(2_000);
      }
    }
  });
});

it('never sends a 5xx to a publishable key from a hostile origin (the 403 names the origin, JSON-escaped)', async () => {
  const site = await publishableKey();
  const response = await call('/v1/sentiment', { headers: site.from('https://evil.example/"><script>'), body: { text: 'hi' } });
  const body = await json(response);
  expect(response.status).toBe(403);
  expect(body.error.code).toBe('origin_not_allowed');
});
