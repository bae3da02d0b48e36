import type { Context } from 'hono';
import { DEFAULT_VISITOR_LIMITS } from '../contracts/policy';
import type { VisitorAdmission } from '../durable-objects/tenant-guard/tenant-guard';
import type { AppEnv } from '../contracts/env';
import type { AuthenticatedKey } from '../storage/api-keys';
import { sha256Hex } from '../security/crypto';
import { verifyTurnstile } from '../security/turnstile';
import { verifyVisitorToken } from '../security/visitor-token';

/** Where the browser SDK puts the visitor token. */
export const VISITOR_TOKEN_HEADER = 'x-minnow-visitor';
export const TURNSTILE_HEADER = 'cf-turnstile-response';

/** The client IP as Cloudflare saw it; absent only outside Cloudflare (some local test paths). */
export const clientIpOf = (c: Context<AppEnv>) => c.req.header('cf-connecting-ip') ?? undefined;

/**
 * Who is asking, for a publishable key's per-visitor limits: the visitor token's id when a valid
 * one is sent (401 if one is sent and is not valid), else the client IP. With a token, the IP's
 * own bucket is drawn from too: minting tokens must not multiply what one address may do, so a
 * token narrows its IP's allowance and never widens it. A token minted from one IP and used from
 * another counts against the IP it is used from (not refused: a phone moving from Wi-Fi to a
 * carrier keeps its token, and that IP's bucket still bounds it). IPs are hashed with the key id,
 * so the guard's storage holds no addresses. When the key has Turnstile on, the visitor must have
 * passed it: a token issued after a check, or a fresh `cf-turnstile-response`.
 */
export async function identifyVisitor(c: Context<AppEnv>, key: AuthenticatedKey): Promise<VisitorAdmission> {
  const limits = key.visitorLimits ?? DEFAULT_VISITOR_LIMITS;
  const token = c.req.header(VISITOR_TOKEN_HEADER);
  const claims = token ? await verifyVisitorToken(c.env, token, key.id) : undefined;
  const ip = clientIpOf(c);
  if (key.turnstileSecretSealed && !claims?.human) {
    await verifyTurnstile(c.env, { tenantId: key.tenantId, sealedSecret: key.turnstileSecretSealed, token: c.req.header(TURNSTILE_HEADER), ip });
  }
  const ipId = await ipVisitorId(key, ip);
  return claims ? { id: `${key.id}:t:${claims.visitorId}`, ip: ipId, limits } : { id: ipId, limits };
}

/** The visitor id of an IP for this key: hashed, so no address is stored. */
export async function ipVisitorId(key: AuthenticatedKey, ip: string | undefined): Promise<string> {
  return `${key.id}:ip:${(await sha256Hex(`${key.id}|${ip ?? 'unknown'}`)).slice(0, 32)}`;
}
