/** Inbound idempotency: one row per (hook, delivery key); see migrations/0003_webhooks.sql. */
export type Receipt = { job_id: string; state: 'accepting' | 'queued'; received_at: string };

/**
 * How long an `accepting` claim holds. Claiming and queueing take milliseconds; a claim older than
 * this belongs to a Worker that died between the two (or stalled past any sender's patience), so
 * the next copy of the delivery takes it over instead of being told 409 until the receipt is
 * pruned days later.
 */
export const ACCEPTING_CLAIM_SECONDS = 60;

/**
 * Claims a delivery key for a new job, or takes over an `accepting` claim older than
 * ACCEPTING_CLAIM_SECONDS. One statement decides races: of two copies arriving at once exactly
 * one inserts (or takes over); the other gets the winner's receipt back.
 */
export async function claimReceipt(db: D1Database, hookId: string, deliveryKey: string, jobId: string, nowMs = Date.now()): Promise<{ claimed: true } | { claimed: false; existing: Receipt }> {
  const now = new Date(nowMs).toISOString();
  const expired = new Date(nowMs - ACCEPTING_CLAIM_SECONDS * 1000).toISOString();
  const claimed = await db
    .prepare(
      "INSERT INTO webhook_receipts (hook_id, delivery_key, job_id, state, received_at) VALUES (?, ?, ?, 'accepting', ?) " +
        'ON CONFLICT (hook_id, delivery_key) DO UPDATE SET job_id = excluded.job_id, received_at = excluded.received_at ' +
        "WHERE webhook_receipts.state = 'accepting' AND webhook_receipts.received_at < ?",
    )
    .bind(hookId, deliveryKey, jobId, now, expired)
    .run();
  if (claimed.meta.changes > 0) return { claimed: true };
  const existing = await db.prepare('SELECT job_id, state, received_at FROM webhook_receipts WHERE hook_id = ? AND delivery_key = ?').bind(hookId, deliveryKey).first<Receipt>();
  // Released between the claim and the read: the caller may simply try again.
  return { claimed: false, existing: existing ?? { job_id: jobId, state: 'accepting', received_at: now } };
}

/** Seconds until an `accepting` claim made at `receivedAt` may be taken over (at least 1). */
export function claimExpiresInSeconds(receivedAt: string, nowMs = Date.now()): number {
  const left = Date.parse(receivedAt) + ACCEPTING_CLAIM_SECONDS * 1000 - nowMs;
  return Math.max(1, Math.min(ACCEPTING_CLAIM_SECONDS, Math.ceil(left / 1000)));
}

export async function markReceiptQueued(db: D1Database, hookId: string, deliveryKey: string): Promise<void> {
  await db.prepare("UPDATE webhook_receipts SET state = 'queued' WHERE hook_id = ? AND delivery_key = ?").bind(hookId, deliveryKey).run();
}

/** Gives a delivery key back when its job could not be queued, so the sender's retry is processed. */
export async function releaseReceipt(db: D1Database, hookId: string, deliveryKey: string, jobId: string): Promise<void> {
  await db.prepare('DELETE FROM webhook_receipts WHERE hook_id = ? AND delivery_key = ? AND job_id = ?').bind(hookId, deliveryKey, jobId).run();
}

export async function pruneReceipts(db: D1Database, before: string): Promise<number> {
  const result = await db.prepare('DELETE FROM webhook_receipts WHERE received_at < ?').bind(before).run();
  return result.meta.changes;
}
