import type { Bindings } from '../contracts/env';
import { overdueDeliveries, pruneDeliveryBodies } from '../storage/webhook-deliveries';
import { pruneReceipts } from '../storage/webhook-receipts';
import { sendDeliveryAttempt } from './deliver';

export const DEFAULT_RETENTION_DAYS = 7;
const DAY_MS = 86_400_000;
/** A pending delivery this far past its next attempt has lost its queue message. */
const OVERDUE_MS = 15 * 60_000;

export const retentionDays = (env: Pick<Bindings, 'WEBHOOK_RETENTION_DAYS'>) =>
  Number(env.WEBHOOK_RETENTION_DAYS) > 0 ? Number(env.WEBHOOK_RETENTION_DAYS) : DEFAULT_RETENTION_DAYS;

/**
 * Retention: delivery bodies (no longer replayable after this) and inbound receipts (a repeat of
 * an older delivery id is processed again) older than the retention are dropped.
 */
export async function pruneWebhookData(env: Bindings, nowMs = Date.now()): Promise<{ bodies: number; receipts: number }> {
  const before = new Date(nowMs - retentionDays(env) * DAY_MS).toISOString();
  const [bodies, receipts] = await Promise.all([pruneDeliveryBodies(env.DB, before, new Date(nowMs).toISOString()), pruneReceipts(env.DB, before)]);
  return { bodies, receipts };
}

/** Re-queues pending deliveries whose message was lost (a send that failed after its attempt was recorded). */
export async function requeueOverdueDeliveries(env: Bindings, nowMs = Date.now()): Promise<number> {
  const overdue = await overdueDeliveries(env.DB, new Date(nowMs - OVERDUE_MS).toISOString(), nowMs);
  for (const delivery of overdue) await sendDeliveryAttempt(env, delivery);
  return overdue.length;
}

/** The scheduled handler's webhook work (wrangler.toml [triggers]). */
export async function webhookMaintenance(env: Bindings): Promise<void> {
  await pruneWebhookData(env);
  await requeueOverdueDeliveries(env);
}
