import { createMiddleware } from 'hono/factory';
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

/** Guards /admin/*: closed outright in production unless the ADMIN_TOKEN secret is set. */
export function adminAuth() {
  return createMiddleware<AppEnv>(async function adminAuth(c, next) {
    const expected = adminToken(c.env);
    if (!expected) throw new ApiError(403, 'admin_disabled', 'The admin API is disabled: set the ADMIN_TOKEN secret to enable it');
    const presented = presentedKeyOf(c.req.raw.headers);
    if (!presented || !(await constantTimeEqual(presented, expected))) {
      throw new ApiError(401, 'invalid_admin_token', 'Send the admin token as "Authorization: Bearer <ADMIN_TOKEN>"');
    }
    await next();
  });
}
