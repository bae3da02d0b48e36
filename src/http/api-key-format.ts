import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { secretKeyRequired } from '../admission/browser-keys';
import { KEY_PATTERN } from '../storage/api-keys';

/** Reads the key from `Authorization: Bearer …` or `x-api-key`. */
export function presentedKeyOf(headers: { get(name: string): string | null | undefined }): string | undefined {
  const authorization = headers.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? match[1] : authorization.trim();
  }
  return headers.get('x-api-key')?.trim() || undefined;
}

/**
 * Rejects a missing or malformed key before any I/O: a request that cannot be a real key costs
 * neither a KV read nor a Durable Object call.
 */
export function apiKeyFormat(options: { secretOnly?: string } = {}) {
  return createMiddleware<AppEnv>(async function apiKeyFormat(c, next) {
    const key = presentedKeyOf(c.req.raw.headers);
    if (!key) {
      throw new ApiError(401, 'missing_api_key', 'Send your API key as "Authorization: Bearer <key>" or in the x-api-key header');
    }
    if (!KEY_PATTERN.test(key)) throw new ApiError(401, 'invalid_api_key', 'The API key is not valid');
    // A route only secret keys may use (`secretOnly`: what needs one, as admission's 403 says it)
    // refuses a publishable key by its prefix before the body is read: a user who fixed the body
    // only to be told the key cannot do this at all was sent the wrong way first. Admission still
    // checks the key itself.
    if (options.secretOnly && key.startsWith('pk_')) throw secretKeyRequired(options.secretOnly);
    c.set('presentedKey', key);
    await next();
  });
}
