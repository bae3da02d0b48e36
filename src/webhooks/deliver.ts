import type { Bindings } from '../contracts/env';
import { decryptSecret } from '../security/secrets';
import { getDeliveryById, leaseAttempt, markDead, recordAttempt, type DeliveryRow } from '../storage/webhook-deliveries';
import { getHookById, type Hook } from '../storage/webhooks';
import { signStandard } from './hmac';
import type { DeliverMessage } from '../contracts/queue-messages';
import { parseRetryAfter, retryDelaySeconds, retrySchedule } from './retry-schedule';
import { secretContext } from './types';
import { checkDestinationUrl, checksDns, resolvesPublicly } from './url-policy';

export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;
const USER_AGENT = 'minnow-webhooks/1';
const MAX_ERROR_CHARS = 300;

type Result = { kind: 'delivered'; status: number } | { kind: 'retry' | 'dead'; status: number | null; error: string; retryAfter: number | null };

const timeoutOf = (env: Bindings) => (Number(env.WEBHOOK_TIMEOUT_MS) > 0 ? Number(env.WEBHOOK_TIMEOUT_MS) : DEFAULT_DELIVERY_TIMEOUT_MS);

/** Queues the first attempt of a series. */
export async function sendDeliveryAttempt(env: Bindings, delivery: Pick<DeliveryRow, 'id' | 'series'>, delaySeconds = 0): Promise<void> {
  await env.JOBS.send({ kind: 'deliver', deliveryId: delivery.id, series: delivery.series }, delaySeconds > 0 ? { delaySeconds } : {});
}

async function signingSecrets(env: Bindings, hook: Hook): Promise<string[]> {
  const context = secretContext(hook, 'signing');
  const secrets = [await decryptSecret(env, hook.signingSecretEncrypted, context)];
  if (hook.signingPreviousSecretEncrypted && hook.signingPreviousExpiresAt && Date.parse(hook.signingPreviousExpiresAt) > Date.now()) {
    secrets.push(await decryptSecret(env, hook.signingPreviousSecretEncrypted, context));
  }
  return secrets;
}

/**
 * Sends one signed attempt and classifies it: 2xx delivered; timeouts, network errors, 5xx and
 * 429 retried; any other answer (a redirect included: it is never followed) ends the delivery.
 */
async function post(env: Bindings, hook: Hook, delivery: DeliveryRow): Promise<Result> {
  const destination = checkDestinationUrl(hook.destinationUrl, env.ENVIRONMENT);
  if (!destination.ok) return { kind: 'dead', status: null, error: `destination refused: the URL ${destination.reason}`, retryAfter: null };
  if (checksDns(env.ENVIRONMENT)) {
    const resolved = await resolvesPublicly(destination.url.hostname).catch(() => ({ ok: false as const, reason: 'could not be checked: DNS-over-HTTPS failed' }));
    if (!resolved.ok) return { kind: 'retry', status: null, error: `destination ${resolved.reason}`, retryAfter: null };
  }
  const timestamp = Math.floor(Date.now() / 1000);
  const body = delivery.body ?? '';
  // During a signing-secret rotation both signatures go out, so receivers can switch at any time.
  const signatures = await Promise.all(
    (await signingSecrets(env, hook)).map((secret) => signStandard(secret, delivery.id, timestamp, body)),
  );
  let response: Response;
  try {
    response = await fetch(destination.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutOf(env)),
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'webhook-id': delivery.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatures.join(' '),
      },
      body,
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return { kind: 'retry', status: null, error: timedOut ? `timed out after ${timeoutOf(env)} ms` : `network error: ${String(error).slice(0, MAX_ERROR_CHARS)}`, retryAfter: null };
  }
  // The body is not needed; cancelling frees the connection.
  await response.body?.cancel();
  if (response.status >= 200 && response.status < 300) return { kind: 'delivered', status: response.status };
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  if (response.status === 429 || response.status >= 500) return { kind: 'retry', status: response.status, error: `destination answered ${response.status}`, retryAfter };
  const why = response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : '';
  return { kind: 'dead', status: response.status, error: `destination answered ${response.status}${why}`, retryAfter: null };
}

/** Consumes one `deliver` message: at most one attempt in flight, then delivered, retried later or dead. */
export async function attemptDelivery(env: Bindings, message: DeliverMessage): Promise<void> {
  const delivery = await getDeliveryById(env.DB, message.deliveryId);
  // Settled, replayed since (a newer series owns it), or deleted with its hook: nothing to do.
  if (!delivery || delivery.status !== 'pending' || delivery.series !== message.series) return;
  const hook = await getHookById(env.DB, delivery.hook_id);
  if (!hook) return markDead(env.DB, delivery.id, 'the hook was deleted');
  const nowMs = Date.now();
  if (!(await leaseAttempt(env.DB, delivery.id, delivery.series, nowMs, nowMs + timeoutOf(env) + 30_000))) return;

  const result = await post(env, hook, delivery);
  const at = new Date().toISOString();
  const durationMs = Date.now() - nowMs;
  if (result.kind === 'delivered') {
    return recordAttempt(env.DB, delivery, { status: 'delivered', httpStatus: result.status, error: null, durationMs, at, nextAttemptAt: null });
  }
  const delay = result.kind === 'retry' ? retryDelaySeconds(retrySchedule(env), delivery.series_attempts + 1, result.retryAfter) : null;
  if (delay === null) {
    return recordAttempt(env.DB, delivery, { status: 'dead', httpStatus: result.status, error: result.error, durationMs, at, nextAttemptAt: null });
  }
  const nextAttemptAt = new Date(Date.now() + delay * 1000).toISOString();
  await recordAttempt(env.DB, delivery, { status: 'pending', httpStatus: result.status, error: result.error, durationMs, at, nextAttemptAt });
  await sendDeliveryAttempt(env, delivery, delay);
}
