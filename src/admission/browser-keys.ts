import type { Context } from 'hono';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';

/**
 * A secret key sent by a browser page of another origin is a key about to leak: anyone can read
 * it from the page. Refused before any I/O, with the fix in the message. Requests without an
 * `Origin` header (servers, curl) and the Worker's own pages (the dashboard, same origin) are not
 * browsers embedding a key in someone's site, so they pass. This guards against a mistake; it is
 * not what keeps keys safe (a non-browser client can send any Origin it likes).
 */
export function refuseSecretKeyInBrowser(c: Context<AppEnv>, presentedKey: string): void {
  if (!presentedKey.startsWith('sk_')) return;
  const origin = c.req.header('origin');
  if (!origin || origin === new URL(c.req.url).origin) return;
  throw new ApiError(
    403,
    'secret_key_in_browser',
    `Secret keys (sk_…) must not be used from browser pages: this request comes from ${origin}, where anyone can read the key. Use a publishable key (pk_…) allowed for that origin, or call minnow from your server`,
  );
}
