import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { AUTH_FAILURE_LIMITS, type AuthVerdict } from '../durable-objects/auth-throttle/auth-throttle';
import { authThrottleFor } from '../durable-objects/auth-throttle/client';
import type { AppEnv, Bindings } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { constantTimeEqual } from '../security/crypto';
import { presentedKeyOf } from './api-key-format';

/** Local development only: the admin token when none is configured. */
export const DEV_ADMIN_TOKEN = 'dev-admin-token';

function adminToken(env: Bindings): string | undefined {
  if (env.ADMIN_TOKEN) return env.ADMIN_TOKEN;
  return env.ENVIRONMENT === 'development' ? DEV_ADMIN_TOKEN : undefined;
}

/**
 * Guards /admin/*: closed outright in production unless the ADMIN_TOKEN secret is set. The token
 * is compared in constant time; each wrong one presented uses up one of its client address's
 * failures (AUTH_FAILURE_LIMITS), and an address with none left is refused 429 — even with the
 * right token, or throttling would not slow guessing — while other addresses are unaffected.
 * Sending no token at all is not a guess and is not counted.
 */
export function adminAuth() {
  return createMiddleware<AppEnv>(async function adminAuth(c, next) {
    const expected = adminToken(c.env);
    if (!expected) throw new ApiError(403, 'admin_disabled', 'The admin API is disabled: set the ADMIN_TOKEN secret to enable it');
    const presented = presentedKeyOf(c.req.raw.headers);
    const ok = presented !== undefined && presented !== '' && (await constantTimeEqual(presented, expected));
    if (presented) await throttle(c, ok);
    if (!ok) throw new ApiError(401, 'invalid_admin_token', 'Send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"');
    await next();
  });
}

async function throttle(c: Context<AppEnv>, ok: boolean): Promise<void> {
  let verdict: AuthVerdict;
  try {
    verdict = await (await authThrottleFor(c.env, 'admin', c.req.header('cf-connecting-ip'))).attempt(ok);
  } catch (error) {
    // Nobody can say whether this address is throttled: refuse, retryably, rather than let guesses through uncounted.
    console.error(JSON.stringify({ level: 'error', request_id: c.get('requestId'), error: `admin auth throttle failed: ${String(error)}` }));
    throw new ApiError(503, 'auth_unavailable', 'Admin authentication is unavailable for a moment; retry shortly', { headers: { 'Retry-After': '1' } });
  }
  if (!verdict.allowed) {
    throw new ApiError(429, 'too_many_auth_failures', `Too many wrong admin tokens from this address (${AUTH_FAILURE_LIMITS.burst}, then ${AUTH_FAILURE_LIMITS.rpm} a minute); retry after ${verdict.retryAfterSeconds} s`, {
      headers: { 'Retry-After': String(verdict.retryAfterSeconds) },
    });
  }
}
