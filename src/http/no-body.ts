import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { readBoundedBody } from './bounded-body';

/** More than this is no "empty" body, whatever it holds: read no further. */
const MAX_EMPTY_BODY_BYTES = 1024;

/**
 * For a POST that takes no body (it acts on the path and headers alone): nothing a caller sent is
 * silently dropped. No body, a blank one or `{}` passes; a JSON object with fields is 400
 * `unknown_field` naming the first (what a route with a body answers for a field it does not
 * take); anything else is 400 `invalid_field` saying the route takes no body. `where` says where
 * what the caller may have meant goes instead (a header), or is empty.
 */
export function noBody(route: string, where = '') {
  const takesNone = `${route} takes no body${where ? `; ${where}` : ''}`;
  return createMiddleware<AppEnv>(async function noBody(c, next) {
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = c.req.header('content-length');
    // A sized body over the bound is refused by its size, unread, as jsonBody refuses one.
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined && !(/^\d+$/.test(declared) && Number(declared) <= MAX_EMPTY_BODY_BYTES)) {
      throw new ApiError(400, 'invalid_field', `${takesNone} (this one sent ${declared.slice(0, 20)} bytes)`);
    }
    // Read (a chunked one to its end, see readBoundedBody) before answering.
    const bytes = await readBoundedBody(body, MAX_EMPTY_BODY_BYTES);
    if (!bytes) throw new ApiError(400, 'invalid_field', `${takesNone} (this one sent more than ${MAX_EMPTY_BODY_BYTES} bytes)`);
    const text = new TextDecoder().decode(bytes).trim();
    if (text === '') return next();
    let sent: unknown;
    try {
      sent = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'invalid_field', `${takesNone} (this one sent ${bytes.byteLength} bytes that are not JSON)`);
    }
    if (sent === null || typeof sent !== 'object' || Array.isArray(sent)) throw new ApiError(400, 'invalid_field', `${takesNone} (send none, or {})`);
    const field = Object.keys(sent)[0];
    if (field !== undefined) throw new ApiError(400, 'unknown_field', `Unknown field "${field}": ${takesNone}`, { param: field });
    return next();
  });
}
