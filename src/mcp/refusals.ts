import { createMiddleware } from 'hono/factory';
import { ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import type { AppEnv } from '../contracts/env';
import { ApiError, errorBody } from '../contracts/errors';
import { jsonBody } from '../http/json-body';

/** MCP's code for a resource that does not exist (the 2025-11-25 specification's, not in the SDK's enum). */
export const RESOURCE_NOT_FOUND = -32002;

/** What the SDK's transport answers a refused media type or size with (413, 415): -32000, not in its enum under that meaning. */
const TRANSPORT_REFUSED = -32000;

/** The one error shape, with `retry_after` (seconds) when the HTTP answer would carry `Retry-After`: a JSON-RPC error's `data`. */
export function refusalData(error: ApiError, requestId: string): Record<string, unknown> {
  const retryAfter = error.headers['Retry-After'];
  return { ...errorBody(error, requestId), ...(retryAfter !== undefined ? { retry_after: Number(retryAfter) } : {}) };
}

/**
 * The JSON-RPC code of a refusal outside a tool call (listing or reading). A resource that does not
 * exist is MCP's -32002 and an argument the route would refuse is -32602 (Invalid params). Every
 * other refusal was a valid request the server declined — a rate limit (429), a spent budget
 * (402), a scope (403), a provider down (503) — so its code is the HTTP status: an
 * application-defined code outside JSON-RPC's reserved -32768..-32000, where the MCP specification
 * (2026-07-28, basic § Error Codes) puts codes it does not define. Never -32600 (Invalid Request),
 * which tells a client its message was malformed and retrying cannot help.
 */
export function refusalCode(error: ApiError): number {
  if (error.status === 404) return RESOURCE_NOT_FOUND;
  if (error.status === 400) return ErrorCode.InvalidParams;
  return error.status;
}

/**
 * A JSON-RPC error response of the transport itself (`id: null`: the message was never read), in
 * the HTTP status and body the SDK's own Streamable HTTP server transport answers
 * (webStandardStreamableHttp.js, handlePostRequest): a body that is not JSON is 400 with -32700
 * (Parse error), a refused media type or size is 415/413 with -32000. A body that parses but
 * carries what minnow refuses everywhere (a `__proto__` key, a lone surrogate) is not a valid
 * Request object: -32600. Minnow's error shape rides in `data`, so `code` and `param` are not lost.
 */
function transportRefusal(error: ApiError, requestId: string): Response {
  const code = ['invalid_json', 'invalid_utf8'].includes(error.code) ? ErrorCode.ParseError : error.status === 400 ? ErrorCode.InvalidRequest : TRANSPORT_REFUSED;
  const message = code === ErrorCode.ParseError ? `Parse error: ${error.message}` : error.message;
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message, data: refusalData(error, requestId) }, id: null }), {
    status: error.status,
    headers: { ...error.headers, 'Content-Type': 'application/json' },
  });
}

/**
 * jsonBody()'s checks (media type, charset, encoding, size, JSON, refused keys) for `/mcp`, with
 * each refusal answered as a JSON-RPC error rather than the HTTP API's error shape: an MCP client
 * reads JSON-RPC errors. Only the body's reading is covered; the handler's errors pass on as usual.
 */
export function mcpJsonBody() {
  const readBody = jsonBody();
  const bodyRead = async () => {};
  return createMiddleware<AppEnv>(async (c, next) => {
    try {
      await readBody(c, bodyRead);
    } catch (error) {
      if (error instanceof ApiError) return transportRefusal(error, c.get('requestId'));
      throw error;
    }
    return next();
  });
}

/**
 * The HTTP answer to a single message refused with a time to come back (`Retry-After`: a rate
 * limit, a spent budget, a retryable 503): the JSON-RPC error as the transport built it, under the
 * refusal's own HTTP status with `Retry-After`, so an HTTP client or proxy sees a 429 as a 429 and
 * knows when to retry (the SDK's client surfaces it as a StreamableHTTPError whose code is the
 * status). Other refusals stay HTTP 200: a 404 would read as an expired session to a Streamable
 * HTTP client, and a 403 as a prompt to re-authorize.
 */
export function withRefusalStatus(response: Response, refusal: ApiError | undefined): Response {
  const retryAfter = refusal?.headers['Retry-After'];
  if (!refusal || retryAfter === undefined || response.status !== 200) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(refusal.headers)) headers.set(name, value);
  return new Response(response.body, { status: refusal.status, headers });
}
