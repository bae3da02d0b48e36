import { SELF } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { deepArray, deepObject } from './support/arbitraries';
import { authFor, fixture, pathFor } from './support/fixture';
import { allRoutes, label, type Route } from './support/routes';
import { failOnErrorLogs } from './support/error-logs';
import { runs, TIMEOUT_MS } from './support/runs';
import { templateFor } from './support/templates';
import { expectWellFormed } from './support/well-formed';
import { MAX_BATCH_BODY_BYTES } from '../../src/batches/schema';
import { DEFAULT_MAX_BODY_BYTES } from '../../src/http/json-body';

vi.setConfig({ testTimeout: TIMEOUT_MS });
failOnErrorLogs();

const bodyRoutes = (await allRoutes()).filter((route) => route.hasBody);
const encoder = new TextEncoder();
/** Each route's body limit: one request's worth, or a batch's items (src/batches/schema.ts). */
const bodyLimitOf = (route: Route) => (route.path === '/v1/batches' ? MAX_BATCH_BODY_BYTES : DEFAULT_MAX_BODY_BYTES);

async function sendBytes(route: Route, body: BodyInit, headers: Record<string, string> = {}) {
  const { tenant, ids } = await fixture();
  return SELF.fetch(`https://minnow.test${pathFor(route, ids)}`, {
    method: route.method,
    headers: { 'content-type': 'application/json', ...authFor(route, tenant), ...headers },
    body,
  });
}

const gzip = async (text: string) => new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
let bomb: Promise<ArrayBuffer> | undefined;
/** 20 MB of JSON that gzips to ~20 KB: inflated it would be far past the 1 MiB limit. Built once. */
const gzipBomb = () => (bomb ??= gzip(JSON.stringify({ text: 'a'.repeat(20_000_000) })));

/** Bytes that are not UTF-8: lone continuation bytes, overlongs, surrogates encoded, truncated sequences. */
const INVALID_UTF8 = [[0xff], [0xfe, 0xff], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]];

describe.each(bodyRoutes.map((route) => [label(route), route] as const))('%s, hostile bytes', (_, route) => {
  it('answers arbitrary bytes, and a valid body with invalid UTF-8 spliced in, without a 5xx', async () => {
    const { ids } = await fixture();
    const valid = encoder.encode(JSON.stringify(templateFor(route, ids)));
    const spliced = fc.tuple(fc.nat({ max: valid.length }), fc.constantFrom(...INVALID_UTF8)).map(([at, bad]) => new Uint8Array([...valid.slice(0, at), ...bad, ...valid.slice(at)]));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 300 }), spliced), async (bytes) => {
        await expectWellFormed(await sendBytes(route, bytes), `${label(route)} bytes ${[...bytes.slice(0, 40)]}`);
      }),
      runs(3),
    );
  });

  it('answers a wrong or odd content type without a 5xx, and refuses a non-JSON one with 415', async () => {
    const { ids } = await fixture();
    const body = JSON.stringify(templateFor(route, ids));
    const types = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx', 'json', 'application/json; charset=utf-16', 'APPLICATION/JSON', 'application/vnd.api+json', 'application/json, text/plain', ' application/json'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...types), async (type) => {
        await expectWellFormed(await sendBytes(route, body, { 'content-type': type }), `${label(route)} content-type ${type}`);
      }),
      runs(2),
    );
    const refused = await sendBytes(route, body, { 'content-type': 'text/plain' });
    expect(((await expectWellFormed(refused, `${label(route)} text/plain`)) as any).error.code).toBe('unsupported_media_type');
  });

  it('answers 10,000- and 100,000-deep nesting, as the body and inside a field, with a 4xx', async () => {
    const field = route.fields[0] ?? 'x';
    const bodies = [deepArray(100_000), deepObject(10_000), `{"${field}":${deepArray(10_000)}}`, `{"${field}":${deepObject(100_000)}}`];
    await Promise.all(
      bodies.map(async (body) => {
        const response = await sendBytes(route, body);
        await expectWellFormed(response, `${label(route)} ${body.slice(0, 40)}… (${body.length} bytes)`);
        expect(response.status).toBeGreaterThanOrEqual(400);
      }),
    );
  });

  it('refuses a body past the limit with 413, with or without a Content-Length', async () => {
    const limit = bodyLimitOf(route);
    const huge = JSON.stringify({ [route.fields[0] ?? 'x']: 'a'.repeat(limit + 50_000) });
    const sized = await sendBytes(route, huge);
    expect(((await expectWellFormed(sized, `${label(route)} ${huge.length} bytes`)) as any).error.code).toBe('body_too_large');
    // A stream has no Content-Length: the limit must hold while reading (1.5 MB past it are offered).
    const chunk = encoder.encode('a'.repeat(64 * 1024));
    const chunks = Math.ceil(limit / chunk.length) + 24;
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < chunks) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = await sendBytes(route, stream);
    expect(((await expectWellFormed(streamed, `${label(route)} streamed ${chunks * chunk.length} bytes`)) as any).error.code).toBe('body_too_large');
    // Read to its end and dropped (up to DRAIN_BYTES, src/http/bounded-body.ts), not cut off mid-stream:
    // answering while a chunked body still arrived made wrangler dev restart and fail the next request.
    expect(sent, 'read to its end before the 413').toBe(chunks + 1);
  });

  it('does not inflate a gzip body: a gzip bomb is refused without being decompressed', async () => {
    const bomb = await gzipBomb();
    const startedAt = Date.now();
    const response = await sendBytes(route, bomb, { 'content-encoding': 'gzip' });
    const body = (await expectWellFormed(response, `${label(route)} gzip bomb`)) as any;
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    // Refused for its encoding, not inflated to find out it is too large.
    expect(body.error.code).toBe('unsupported_content_encoding');
  });
});
