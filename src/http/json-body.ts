import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { readBoundedBody } from './bounded-body';
import { refusedPartOf } from './unpaired-surrogates';

/** Default largest request body, in bytes (override with MAX_BODY_BYTES). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * Workers hand the Worker request bodies as sent, still compressed: a gzip body would otherwise be
 * reported as invalid JSON. Refusing it names the real problem, and nothing is ever inflated, so a
 * small compressed body cannot expand past the size limit (a gzip bomb).
 */
export function refuseEncodedBody(encoding: string | undefined): void {
  if (!encoding || /^\s*identity\s*$/i.test(encoding)) return;
  throw new ApiError(415, 'unsupported_content_encoding', `Send the body uncompressed: Content-Encoding "${encoding.slice(0, 50)}" is not accepted`);
}

/**
 * JSON is UTF-8 (RFC 8259 §8.1). A declared charset other than UTF-8 is refused rather than read as
 * UTF-8, which would garble every non-ASCII character it sent.
 */
function refuseOtherCharset(type: string): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(type)?.[1];
  if (charset === undefined || /^utf-?8$/i.test(charset)) return;
  throw new ApiError(415, 'unsupported_media_type', `Send JSON as UTF-8: charset "${charset.slice(0, 40)}" is not accepted (JSON is always UTF-8; declare charset=utf-8 or none)`);
}

/**
 * Decodes the body, refusing bytes that are not UTF-8 instead of replacing them with U+FFFD: a
 * Latin-1 "é" (the single byte 0xE9) would otherwise reach the model, and the answer, as "�".
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
function decodeUtf8(bytes: ArrayBuffer): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new ApiError(400, 'invalid_utf8', 'The body is not valid UTF-8 (for example a Latin-1 "é" sent as the single byte 0xE9); send the JSON encoded as UTF-8');
  }
}

/**
 * For requests that carry a body: it must be JSON and at most the documented size (`maxBytes`
 * for a route that takes more than one request's worth, such as a batch's items).
 * A sized body is checked against its Content-Length, which the runtime holds it to; a chunked one
 * is counted while it is read.
 */
export function jsonBody(options: { maxBytes?: number } = {}) {
  return createMiddleware<AppEnv>(async function jsonBody(c, next) {
    if (!['POST', 'PUT', 'PATCH'].includes(c.req.method)) return next();
    const type = c.req.header('content-type') ?? '';
    if (!/^application\/([\w.+-]*\+)?json\b/i.test(type)) {
      throw new ApiError(415, 'unsupported_media_type', `Send a JSON body with "Content-Type: application/json" (got ${type ? `"${type.slice(0, 100)}"` : 'none'})`);
    }
    refuseOtherCharset(type);
    refuseEncodedBody(c.req.header('content-encoding'));
    const maxSize = options.maxBytes ?? (Number(c.env.MAX_BODY_BYTES) > 0 ? Number(c.env.MAX_BODY_BYTES) : DEFAULT_MAX_BODY_BYTES);
    const tooLarge = () => {
      throw new ApiError(413, 'body_too_large', `The request body is larger than ${maxSize} bytes`);
    };
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      // A sized body: the runtime hands over exactly Content-Length bytes (HTTP framing), so the
      // declared size is the size — checked here, without wrapping the request as Hono's bodyLimit
      // does (its body getter alone cost a cache hit ~3% of its CPU: npm run bench:profile).
      if (!/^\d+$/.test(declared) || Number(declared) > maxSize) tooLarge();
      await refuseMalformedParts(c);
      return next();
    }
    // Chunked: counted while it is read, so no stream can grow past the limit.
    if (c.req.raw.body) {
      const bytes = await readBoundedBody(c.req.raw.body, maxSize);
      if (!bytes) tooLarge();
      c.req.raw = new Request(c.req.raw, { body: bytes });
    }
    await refuseMalformedParts(c);
    return next();
  });
}

/**
 * Parses the body once and refuses malformed text or `__proto__` keys. Hono's `c.req.json()` parses
 * its cached text again on every call, so the route's validator would parse the body a second time:
 * it is handed this parse instead.
 */
async function refuseMalformedParts(c: Context<AppEnv>): Promise<void> {
  // Through Hono's body cache, so a later c.req.text() reads the same bytes.
  const text = decodeUtf8(await c.req.arrayBuffer());
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'The body is not valid JSON');
  }
  c.req.json = () => Promise.resolve(body as never);
  // A lone surrogate can only arrive as a `\u` escape (decoded UTF-8 holds none), and a `__proto__`
  // key only as those letters or escapes: a body with neither needs no walk — most bodies.
  if (!text.includes('\\u') && !text.includes('__proto__')) return;
  const refused = refusedPartOf(body);
  if (!refused) return;
  const param = refused.path;
  if (refused.problem === 'prototype_key') {
    throw new ApiError(400, 'invalid_field', `Invalid "${param}": "__proto__" cannot be used as a key (it would be dropped); use another name`, { param });
  }
  throw new ApiError(400, 'invalid_field', `Invalid "${param || 'body'}": contains an unpaired UTF-16 surrogate (such as "\\ud800"); send well-formed Unicode`, param ? { param } : {});
}
