import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../contracts/env';
import { TURNSTILE_HEADER, VISITOR_TOKEN_HEADER } from '../admission/visitors';

/**
 * The Origin to grant, reflected only when it is one: `scheme://host[:port]`, or "null" (file://
 * pages and sandboxed frames, so they can read the 403 that explains why). Anything else a
 * non-browser client puts in the header gets no CORS grant rather than being echoed back.
 */
function corsOrigin(origin: string): string | null {
  if (origin === 'null') return origin;
  try {
    return new URL(origin).origin === origin ? origin : null;
  } catch {
    return null;
  }
}

const browserCors = cors({
  origin: corsOrigin,
  allowMethods: ['GET', 'POST', 'OPTIONS'],
  // Preflights carry no key, so they cannot know the tenant: any origin gets an answer, and the
  // real request is where a publishable key's origins are enforced (with these headers on the 403).
  allowHeaders: ['Authorization', 'Content-Type', 'x-api-key', 'Cache-Control', 'x-request-id', 'x-client-request-id', VISITOR_TOKEN_HEADER, TURNSTILE_HEADER],
  exposeHeaders: ['x-request-id', 'x-client-request-id', 'x-cache', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After', 'x-minnow-provider', 'x-minnow-model', 'x-minnow-cost-usd', 'x-cascade-step', 'x-minnow-warnings'],
  maxAge: 600,
});

/**
 * CORS for the API. A request with no (or an empty) Origin header is not a cross-origin browser request (every
 * browser sends Origin on those), so it gets no CORS headers at all — only `Vary: Origin`, since the
 * answer does differ by Origin. That skips Hono's `cors`, which sets its headers on a placeholder
 * response before the handler runs; copying them onto the real one cost a cache hit more CPU than
 * its cache lookup (measured with `npm run bench:profile`).
 */
export function apiCors() {
  return createMiddleware<AppEnv>(async function apiCors(c, next) {
    if (c.req.method === 'OPTIONS' || c.req.header('origin')) return browserCors(c, next);
    c.header('Vary', 'Origin');
    await next();
  });
}
