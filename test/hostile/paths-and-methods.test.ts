import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { call } from '../support/api';
import { hostileString } from './support/arbitraries';
import { authFor, fixture, pathFor } from './support/fixture';
import { allRoutes, label } from './support/routes';
import { failOnErrorLogs } from './support/error-logs';
import { runs, TIMEOUT_MS } from './support/runs';
import { expectWellFormed } from './support/well-formed';

vi.setConfig({ testTimeout: TIMEOUT_MS });
failOnErrorLogs();

const routes = await allRoutes();
const withParams = routes.filter((route) => route.path.includes(':'));
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Percent-encodes every byte that is not unreserved, so any string can travel in a path segment. */
const encodeSegment = (text: string) => [...new TextEncoder().encode(text)].map((byte) => (/[\w.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, '0')}`)).join('');

/** Ids that try to climb out of their segment, break decoding or overflow a column. */
const RAW_SEGMENTS = ['..', '%2e%2e', '%2e%2e%2f%2e%2e%2fadmin', '..%2f..%2fadmin%2ftenants', '%2F', '%5c..%5c', '%00', '%ff%fe', '%ED%A0%80', '%E0%A4%A', '%', '%%', '%0d%0aX-Injected:%201', 'a'.repeat(10_000), `kb_${'9'.repeat(300)}`];
const hostileSegment = fc.oneof(fc.constantFrom(...RAW_SEGMENTS), hostileString.filter((text) => text.length < 2_000).map(encodeSegment));

describe.each(withParams.map((route) => [label(route), route] as const))('%s, hostile path ids', (_, route) => {
  it('answers every hostile id with a 4xx in the error shape, never another tenant\'s data', async () => {
    const { tenant } = await fixture();
    await fc.assert(
      fc.asyncProperty(hostileSegment, async (segment) => {
        const path = route.path.replace(/:(\w+)/g, segment);
        const response = await call(path, { method: route.method, headers: authFor(route, tenant), ...(route.hasBody ? { body: {} } : {}) });
        await expectWellFormed(response, `${route.method} ${path.slice(0, 200)}`);
        expect(response.status, `${route.method} ${path.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      }),
      runs(4),
    );
  });
});

describe('wrong methods', () => {
  it.each(routes.map((route) => [label(route), route] as const))('%s: every undeclared method is a 405 with Allow (or a CORS preflight), in the error shape', async (_, route) => {
    const { tenant, ids } = await fixture();
    const declared = routes.filter((other) => other.path === route.path).map((other) => other.method);
    const path = pathFor(route, ids);
    const methods = [...METHODS.filter((candidate) => !declared.includes(candidate)), 'OPTIONS'];
    await Promise.all(
      methods.map(async (method) => {
        const response = await call(path, { method, headers: authFor(route, tenant) });
        await expectWellFormed(response, `${method} ${route.path}`);
        if (method === 'OPTIONS' && path.startsWith('/v1/')) return expect(response.status, `${method} ${route.path}`).toBe(204);
        expect(response.status, `${method} ${route.path}`).toBe(405);
        expect(response.headers.get('allow')?.split(', '), `${method} ${route.path}`).toEqual(expect.arrayContaining(declared.filter((name) => name !== 'HEAD')));
      }),
    );
  });
});

describe('hostile query strings', () => {
  const getRoutes = routes.filter((route) => route.method === 'GET');
  const KEYS = ['limit', 'cursor', 'from', 'to', 'group_by', 'status', 'bot', 'key', '__proto__', 'constructor', ''];
  it.each(getRoutes.map((route) => [label(route), route] as const))('%s answers any query without a 5xx', async (_, route) => {
    const { tenant, ids } = await fixture();
    const pairs = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), hostileString), fc.oneof(hostileString, fc.integer().map(String))), { maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(pairs, async (entries) => {
        const query = new URLSearchParams(entries.map(([key, value]) => [key, value.slice(0, 3_000)])).toString();
        const response = await call(`${pathFor(route, ids)}?${query}`, { headers: authFor(route, tenant) });
        await expectWellFormed(response, `${label(route)}?${query.slice(0, 200)}`);
      }),
      runs(3),
    );
  });
});
