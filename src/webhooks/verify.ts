import { constantTimeEqual } from '../security/crypto';
import { hmacSha256, standardSecretKey, toBase64, toHex } from './hmac';
import type { VerifyScheme } from '../storage/webhooks';

/** How far a signed timestamp may be from now, either way: older deliveries are refused as replays. */
export const TIMESTAMP_TOLERANCE_SECONDS = 300;
/** The header the generic `hmac-sha256` scheme reads: hex HMAC-SHA256 of the raw body, `sha256=` optional. */
export const HMAC_SIGNATURE_HEADER = 'x-signature';

export type Verification = { ok: true } | { ok: false; reason: string };

interface Signed {
  headers: Headers;
  body: string;
  nowSeconds: number;
}

const refuse = (reason: string): Verification => ({ ok: false, reason });

async function anyMatches(candidates: string[], expected: (secret: string) => Promise<string | null>, secrets: string[]): Promise<boolean> {
  // Every comparison runs, so timing does not tell which secret or candidate was close.
  let matched = false;
  for (const secret of secrets) {
    const signature = await expected(secret);
    if (signature === null) continue;
    for (const candidate of candidates) if (await constantTimeEqual(candidate, signature)) matched = true;
  }
  return matched;
}

function checkTimestamp(value: string | null, nowSeconds: number): Verification | null {
  if (!value || !/^\d{1,12}$/.test(value)) return refuse('the signed timestamp is missing or not a number of seconds');
  if (Math.abs(nowSeconds - Number(value)) > TIMESTAMP_TOLERANCE_SECONDS) {
    return refuse(`the signed timestamp is more than ${TIMESTAMP_TOLERANCE_SECONDS} seconds from now (a replay, or a clock that is off)`);
  }
  return null;
}

/** Standard Webhooks: `webhook-signature: v1,<base64> v1,<base64>` over `${webhook-id}.${webhook-timestamp}.${body}`. */
async function verifyStandard(secrets: string[], { headers, body, nowSeconds }: Signed): Promise<Verification> {
  const id = headers.get('webhook-id');
  const timestamp = headers.get('webhook-timestamp');
  const signatures = headers.get('webhook-signature');
  if (!id || !signatures) return refuse('webhook-id, webhook-timestamp and webhook-signature headers are required');
  const stale = checkTimestamp(timestamp, nowSeconds);
  if (stale) return stale;
  const candidates = signatures.split(' ').flatMap((entry) => (entry.startsWith('v1,') ? [entry.slice(3)] : []));
  const expected = async (secret: string) => {
    const key = standardSecretKey(secret);
    return key ? toBase64(await hmacSha256(key, `${id}.${timestamp}.${body}`)) : null;
  };
  return (await anyMatches(candidates, expected, secrets)) ? { ok: true } : refuse('no v1 signature in webhook-signature matches');
}

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`. GitHub signs no timestamp. */
async function verifyGithub(secrets: string[], { headers, body }: Signed): Promise<Verification> {
  const header = headers.get('x-hub-signature-256');
  if (!header?.startsWith('sha256=')) return refuse('the X-Hub-Signature-256 header (sha256=<hex>) is required');
  const matched = await anyMatches([header.slice(7).toLowerCase()], async (secret) => toHex(await hmacSha256(secret, body)), secrets);
  return matched ? { ok: true } : refuse('X-Hub-Signature-256 does not match');
}

/** Stripe: `Stripe-Signature: t=<seconds>,v1=<hex>[,v1=…]` over `${t}.${body}`. */
async function verifyStripe(secrets: string[], { headers, body, nowSeconds }: Signed): Promise<Verification> {
  const header = headers.get('stripe-signature');
  if (!header) return refuse('the Stripe-Signature header is required');
  const parts = header.split(',').map((part) => part.trim().split('=', 2) as [string, string | undefined]);
  const timestamp = parts.find(([name]) => name === 't')?.[1] ?? null;
  const candidates = parts.flatMap(([name, value]) => (name === 'v1' && value ? [value.toLowerCase()] : []));
  const stale = checkTimestamp(timestamp, nowSeconds);
  if (stale) return stale;
  const matched = await anyMatches(candidates, async (secret) => toHex(await hmacSha256(secret, `${timestamp}.${body}`)), secrets);
  return matched ? { ok: true } : refuse('no v1 signature in Stripe-Signature matches');
}

/** Generic: `X-Signature: <hex HMAC-SHA256 of the body>` (a `sha256=` prefix is accepted). */
async function verifyHmac(secrets: string[], { headers, body }: Signed): Promise<Verification> {
  const header = headers.get(HMAC_SIGNATURE_HEADER);
  if (!header) return refuse(`the ${HMAC_SIGNATURE_HEADER} header (hex HMAC-SHA256 of the body) is required`);
  const candidate = header.replace(/^sha256=/i, '').toLowerCase();
  const matched = await anyMatches([candidate], async (secret) => toHex(await hmacSha256(secret, body)), secrets);
  return matched ? { ok: true } : refuse(`${HMAC_SIGNATURE_HEADER} does not match`);
}

const VERIFIERS: Record<VerifyScheme, (secrets: string[], signed: Signed) => Promise<Verification>> = {
  standard: verifyStandard,
  github: verifyGithub,
  stripe: verifyStripe,
  'hmac-sha256': verifyHmac,
};

/** Checks a delivery against every currently valid secret (two during a rotation). */
export function verifySignature(scheme: VerifyScheme, secrets: string[], signed: Signed): Promise<Verification> {
  return VERIFIERS[scheme](secrets, signed);
}
