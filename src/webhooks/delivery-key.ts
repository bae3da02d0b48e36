import { sha256Hex } from '../security/crypto';
import type { VerifyScheme } from '../storage/webhooks';
import { HMAC_SIGNATURE_HEADER } from './verify';

const MAX_KEY_CHARS = 200;

/**
 * What identifies one inbound delivery, so a repeat is acknowledged and not processed again:
 * Standard Webhooks' `webhook-id`, GitHub's `X-GitHub-Delivery`, the Stripe event's `id`; for
 * generic HMAC an `Idempotency-Key` or `X-Delivery-Id` header. Without any of these, the SHA-256
 * of the body: the same body twice is then one delivery.
 */
export async function deliveryKeyOf(scheme: VerifyScheme, headers: Headers, payload: unknown, body: string): Promise<string> {
  const fromSender =
    scheme === 'standard'
      ? headers.get('webhook-id')
      : scheme === 'github'
        ? headers.get('x-github-delivery')
        : scheme === 'stripe'
          ? stripeEventId(payload)
          : (headers.get('idempotency-key') ?? headers.get('x-delivery-id'));
  if (fromSender && fromSender.length <= MAX_KEY_CHARS) return fromSender;
  return `sha256:${await sha256Hex(body)}`;
}

/**
 * The key a delivery's receipt is claimed under, which decides what counts as a repeat.
 * `standard` and `stripe` sign a timestamp (older than 5 minutes is refused) and the id, so the
 * id is enough. GitHub and plain HMAC sign only the body, and their ids are unsigned headers: a
 * captured delivery replayed with a fresh `X-GitHub-Delivery` or `Idempotency-Key` would verify
 * and count as new. For them the key is the SHA-256 of the signature and the body, so the same
 * signed body is one delivery whatever id comes with it, for as long as receipts are kept
 * (WEBHOOK_RETENTION_DAYS). Verified deliveries only: the signature is the one that matched.
 */
export async function receiptKeyOf(scheme: VerifyScheme, headers: Headers, body: string, deliveryKey: string): Promise<string> {
  if (scheme === 'standard' || scheme === 'stripe') return deliveryKey;
  const signature =
    scheme === 'github' ? (headers.get('x-hub-signature-256') ?? '').slice('sha256='.length) : (headers.get(HMAC_SIGNATURE_HEADER) ?? '').replace(/^sha256=/i, '');
  return `signed-body:${await sha256Hex(`${signature.toLowerCase()}.${body}`)}`;
}

function stripeEventId(payload: unknown): string | null {
  const id = payload !== null && typeof payload === 'object' ? (payload as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : null;
}
