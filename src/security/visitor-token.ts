import { ApiError } from '../contracts/errors';

/**
 * Signed visitor tokens: `v1.<visitor id>.<key id>.<expiry, unix s>.<flags>.<HMAC-SHA256, base64url>`.
 * A browser gets one from POST /v1/visitor-token and sends it as `x-minnow-visitor`; it names the
 * visitor for per-visitor limits (drawn from together with its IP's: a token never widens what an
 * IP may do) and carries whether the visitor passed Turnstile. Bound to one key, so it is no use with another tenant's.
 */
export const VISITOR_TOKEN_TTL_SECONDS = 60 * 60;
/** Local development only, like the dev admin token: never used when ENVIRONMENT is production. */
const DEV_VISITOR_TOKEN_SECRET = 'minnow-local-development-visitor-token-secret';

export interface VisitorClaims {
  visitorId: string;
  keyId: string;
  expiresAt: number;
  /** The visitor passed a Turnstile check when the token was issued. */
  human: boolean;
}

interface TokenEnv {
  VISITOR_TOKEN_SECRET?: string;
  ENVIRONMENT?: string;
}

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function secretOf(env: TokenEnv): string {
  if (env.VISITOR_TOKEN_SECRET) return env.VISITOR_TOKEN_SECRET;
  if (env.ENVIRONMENT === 'development') return DEV_VISITOR_TOKEN_SECRET;
  throw new ApiError(503, 'visitor_tokens_unavailable', 'Visitor tokens need the VISITOR_TOKEN_SECRET Worker secret; visitors are limited by IP meanwhile');
}

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');

/** An HMAC-SHA256 (32 bytes) in unpadded base64url is always 43 characters. */
const SIGNATURE_CHARS = 43;

/** The signature's bytes, or null for anything but 43 base64url characters (atob throws on some lengths). */
function signatureBytes(text: string): Uint8Array | null {
  if (text.length !== SIGNATURE_CHARS || !/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    return Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}

export async function signVisitorToken(env: TokenEnv, claims: VisitorClaims): Promise<string> {
  const payload = ['v1', claims.visitorId, claims.keyId, String(claims.expiresAt), claims.human ? 'h' : '-'].join('.');
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secretOf(env)), encoder.encode(payload)));
  return `${payload}.${base64url(signature)}`;
}

/** The claims of a genuine, unexpired token for `keyId`; throws 401 `invalid_visitor_token` otherwise. */
export async function verifyVisitorToken(env: TokenEnv, token: string, keyId: string, nowMs = Date.now()): Promise<VisitorClaims> {
  const invalid = (why: string) => new ApiError(401, 'invalid_visitor_token', `The visitor token ${why}; get a new one from POST /v1/visitor-token`);
  const parts = token.split('.');
  if (parts.length !== 6 || parts[0] !== 'v1') throw invalid('is malformed');
  const [, visitorId, tokenKeyId, expiry, flags, signatureText] = parts as [string, string, string, string, string, string];
  const signature = signatureBytes(signatureText);
  if (!signature) throw invalid('is malformed');
  const payload = parts.slice(0, 5).join('.');
  // crypto.subtle.verify compares in constant time.
  const genuine = await crypto.subtle.verify('HMAC', await hmacKey(secretOf(env)), signature, encoder.encode(payload));
  if (!genuine) throw invalid('is not genuine');
  if (tokenKeyId !== keyId) throw invalid('was issued for another key');
  const expiresAt = Number(expiry);
  if (!(expiresAt * 1000 > nowMs)) throw invalid('has expired');
  return { visitorId, keyId: tokenKeyId, expiresAt, human: flags === 'h' };
}
