import { ApiError } from '../contracts/errors';
import { decryptSecret, encryptSecret } from './secrets';

/** Cloudflare's endpoint; TURNSTILE_SITEVERIFY_URL points tests and staging at a stand-in. */
export const TURNSTILE_SITEVERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';
/** Siteverify answers in well under a second; a visitor should not wait on a stuck check. */
const SITEVERIFY_TIMEOUT_MS = 5_000;

interface TurnstileEnv {
  SECRETS_KEY?: string;
  ENVIRONMENT?: string;
  TURNSTILE_SITEVERIFY_URL?: string;
}

/** Bound to the tenant: a sealed secret copied onto another tenant's key does not open. */
const contextOf = (tenantId: string) => `turnstile:${tenantId}`;

export function sealTurnstileSecret(env: TurnstileEnv, tenantId: string, secret: string): Promise<string> {
  return encryptSecret(env, secret, contextOf(tenantId));
}

/**
 * Verifies a Turnstile token (the `cf-turnstile-response` a widget produced) with siteverify.
 * Throws 403 `turnstile_required` / `turnstile_failed`; a siteverify outage is 503, not the
 * visitor's fault. Tokens are single-use, which is why a passed check is usually exchanged for a
 * visitor token (POST /v1/visitor-token) rather than repeated on every request.
 */
export async function verifyTurnstile(env: TurnstileEnv, input: { tenantId: string; sealedSecret: string; token: string | undefined; ip: string | undefined }): Promise<void> {
  if (!input.token) {
    throw new ApiError(403, 'turnstile_required', 'This key requires bot protection: send the Turnstile widget token in the cf-turnstile-response header (or a visitor token obtained with one)');
  }
  const secret = await decryptSecret(env, input.sealedSecret, contextOf(input.tenantId));
  const form = new FormData();
  form.set('secret', secret);
  form.set('response', input.token);
  if (input.ip) form.set('remoteip', input.ip);
  let outcome: { success?: boolean; 'error-codes'?: string[] };
  try {
    const response = await fetch(env.TURNSTILE_SITEVERIFY_URL || TURNSTILE_SITEVERIFY_URL, { method: 'POST', body: form, signal: AbortSignal.timeout(SITEVERIFY_TIMEOUT_MS) });
    outcome = (await response.json()) as typeof outcome;
  } catch {
    throw new ApiError(503, 'turnstile_unavailable', 'Bot protection could not be checked right now; try again shortly', { headers: { 'Retry-After': '2' } });
  }
  if (outcome.success !== true) {
    const codes = (outcome['error-codes'] ?? []).filter((code) => /^[a-z-]{1,40}$/.test(code)).join(', ');
    throw new ApiError(403, 'turnstile_failed', `The Turnstile check did not pass${codes ? ` (${codes})` : ''}; reload the challenge and try again`);
  }
}
