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

/** What a publishable key may do, for the 403 that refuses it anything else. */
const PUBLISHABLE_KEYS_DO = 'publishable keys (pk_…) only run tasks, chat with bots and search knowledge bases, from the web pages of their origins';

/** What needs a secret key, as the 403 names it. */
export const MANAGING = 'Managing knowledge bases, bots, classifiers and webhooks needs';
export const ACCOUNT_DATA = "Usage, conversations and the tenant's resources need";
export const BATCHES = 'Batches run unattended on the server, so they need';

/** The 403 for a publishable key where a secret one is needed: `what` … "a secret key (sk_…)". */
export const secretKeyRequired = (what: string) => new ApiError(403, 'secret_key_required', `${what} a secret key (sk_…); ${PUBLISHABLE_KEYS_DO}`);
