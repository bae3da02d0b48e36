/** Inbound idempotency: one row per (hook, delivery key); see migrations/0003_webhooks.sql. */
export type Receipt = { job_id: string; state: 'accepting' | 'queued' };

/**
 * Claims a delivery key for a new job. The primary key decides races: of two copies arriving at
 * once exactly one inserts; the other gets the winner's receipt back.
 */
export async function claimReceipt(db: D1Database, hookId: string, deliveryKey: string, jobId: string): Promise<{ claimed: true } | { claimed: false; existing: Receipt }> {
  const inserted = await db
    .prepare("INSERT INTO webhook_receipts (hook_id, delivery_key, job_id, state, received_at) VALUES (?, ?, ?, 'accepting', ?) ON CONFLICT DO NOTHING")
    .bind(hookId, deliveryKey, jobId, new Date().toISOString())
    .run();
  if (inserted.meta.changes > 0) return { claimed: true };
  const existing = await db.prepare('SELECT job_id, state FROM webhook_receipts WHERE hook_id = ? AND delivery_key = ?').bind(hookId, deliveryKey).first<Receipt>();
  // Released between the insert and the read: the caller may simply try again.
  return { claimed: false, existing: existing ?? { job_id: jobId, state: 'accepting' } };
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
