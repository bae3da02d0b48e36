import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { secretKeyRequired } from '../admission/browser-keys';
import { VISITOR_TOKEN_HEADER } from '../admission/visitors';
import { KEY_PATTERN } from '../storage/api-keys';

/**
 * Reads the key from `Authorization: Bearer …` or `x-api-key`. The same key in both is one key;
 * two different ones are refused (400, naming both headers) rather than one used and the other
 * silently ignored: which one the caller meant is theirs to say. Neither key is echoed.
 */
export function presentedKeyOf(headers: { get(name: string): string | null | undefined }): string | undefined {
  const authorization = headers.get('authorization');
  const fromAuthorization = authorization ? (/^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] ?? authorization.trim()) : undefined;
  const fromHeader = headers.get('x-api-key')?.trim() || undefined;
  if (fromAuthorization !== undefined && fromHeader !== undefined && fromAuthorization !== fromHeader) {
    throw new ApiError(400, 'conflicting_api_keys', 'Two different keys were sent, one in Authorization and another in x-api-key; send one key (in either header), or the same key in both', { param: 'x-api-key' });
  }
  return fromAuthorization ?? fromHeader;
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
    // A visitor token belongs to a publishable key's browser visitors; with a secret key it would
    // change nothing (a server has no per-visitor limits), so it is refused, not silently ignored.
    // Empty is no token, as identifyVisitor reads it.
    if (key.startsWith('sk_') && c.req.header(VISITOR_TOKEN_HEADER)) {
      throw new ApiError(400, 'visitor_token_with_secret_key', `${VISITOR_TOKEN_HEADER} carries a publishable key's visitor token; a secret key has no per-visitor limits, so it would be ignored: send it with the publishable key that minted it, or leave it out`, { param: VISITOR_TOKEN_HEADER });
    }
    c.set('presentedKey', key);
    await next();
  });
}
