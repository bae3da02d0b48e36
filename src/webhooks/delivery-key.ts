import { sha256Hex } from '../security/crypto';
import type { VerifyScheme } from '../storage/webhooks';

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

function stripeEventId(payload: unknown): string | null {
  const id = payload !== null && typeof payload === 'object' ? (payload as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : null;
}
