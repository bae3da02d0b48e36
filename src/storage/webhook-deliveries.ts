/** Outbound deliveries and their attempts; see migrations/0003_webhooks.sql and docs/webhooks.md. */
export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface DeliveryRow {
  id: string;
  tenant_id: string;
  hook_id: string;
  type: string;
  job_id: string | null;
  source_delivery_id: string | null;
  notification_id: string | null;
  body: string | null;
  status: DeliveryStatus;
  series: number;
  series_attempts: number;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  lease_until: number | null;
  created_at: string;
  delivered_at: string | null;
  next_attempt_at: string | null;
  body_pruned_at: string | null;
}

export interface AttemptRow {
  attempt: number;
  series: number;
  at: string;
  status: number | null;
  error: string | null;
  duration_ms: number;
}

export type NewDelivery = Pick<DeliveryRow, 'id' | 'tenant_id' | 'hook_id' | 'type' | 'job_id' | 'source_delivery_id' | 'notification_id' | 'body' | 'created_at'>;

function insertStatement(db: D1Database, delivery: NewDelivery): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO webhook_deliveries (id, tenant_id, hook_id, type, job_id, source_delivery_id, notification_id, body, status, created_at, next_attempt_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT DO NOTHING`,
    )
    .bind(delivery.id, delivery.tenant_id, delivery.hook_id, delivery.type, delivery.job_id, delivery.source_delivery_id, delivery.notification_id, delivery.body, delivery.created_at, delivery.created_at);
}

/**
 * The result delivery of a job, created once: a redelivered job message finds the first one
 * (`job_id` is unique). `created` says whether this call made it.
 */
export async function createJobDelivery(db: D1Database, delivery: NewDelivery & { job_id: string }): Promise<{ delivery: DeliveryRow; created: boolean }> {
  const inserted = await insertStatement(db, delivery).run();
  const row = await db.prepare('SELECT * FROM webhook_deliveries WHERE job_id = ?').bind(delivery.job_id).first<DeliveryRow>();
  return { delivery: row!, created: inserted.meta.changes > 0 };
}

export async function createDeliveries(db: D1Database, deliveries: NewDelivery[]): Promise<void> {
  if (deliveries.length > 0) await db.batch(deliveries.map((delivery) => insertStatement(db, delivery)));
}

export async function getDeliveryById(db: D1Database, id: string): Promise<DeliveryRow | null> {
  return db.prepare('SELECT * FROM webhook_deliveries WHERE id = ?').bind(id).first<DeliveryRow>();
}

/** A tenant's delivery of one of its hooks: anything else reads as missing. */
export async function getDelivery(db: D1Database, tenantId: string, hookId: string, id: string): Promise<DeliveryRow | null> {
  return db.prepare('SELECT * FROM webhook_deliveries WHERE id = ? AND hook_id = ? AND tenant_id = ?').bind(id, hookId, tenantId).first<DeliveryRow>();
}

export async function listAttempts(db: D1Database, deliveryId: string): Promise<AttemptRow[]> {
  const { results } = await db
    .prepare('SELECT attempt, series, at, status, error, duration_ms FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt')
    .bind(deliveryId)
    .all<AttemptRow>();
  return results;
}

/** Newest first; `after` is the (created_at, id) of the last row of the previous page; `status` filters (e.g. the dead ones). */
export async function listDeliveries(
  db: D1Database,
  query: { tenantId: string; hookId: string; limit: number; status?: DeliveryStatus; after?: { createdAt: string; id: string } },
): Promise<DeliveryRow[]> {
  const { tenantId, hookId, limit, status, after } = query;
  const conditions = ['hook_id = ?', 'tenant_id = ?'];
  const values: unknown[] = [hookId, tenantId];
  if (status) {
    conditions.push('status = ?');
    values.push(status);
  }
  if (after) {
    conditions.push('(created_at, id) < (?, ?)');
    values.push(after.createdAt, after.id);
  }
  const sql = `SELECT * FROM webhook_deliveries WHERE ${conditions.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`;
  return (await db.prepare(sql).bind(...values, limit).all<DeliveryRow>()).results;
}

/**
 * Takes the right to make the next attempt of a series: at most one attempt is in flight per
 * delivery, whatever the queue redelivers. The lease ends when the attempt is recorded, or at
 * `leaseUntilMs` if the Worker died mid-attempt.
 */
export async function leaseAttempt(db: D1Database, id: string, series: number, nowMs: number, leaseUntilMs: number): Promise<boolean> {
  const result = await db
    .prepare("UPDATE webhook_deliveries SET lease_until = ? WHERE id = ? AND series = ? AND status = 'pending' AND (lease_until IS NULL OR lease_until < ?)")
    .bind(leaseUntilMs, id, series, nowMs)
    .run();
  return result.meta.changes > 0;
}

export interface AttemptOutcome {
  status: DeliveryStatus;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  at: string;
  nextAttemptAt: string | null;
}

/** Records one attempt and its consequence; a delivered event also marks its notification delivered. */
export async function recordAttempt(db: D1Database, delivery: Pick<DeliveryRow, 'id' | 'series'>, outcome: AttemptOutcome): Promise<void> {
  const statements = [
    db
      .prepare(
        `UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, series_attempts = series_attempts + 1, last_status = ?, last_error = ?,
           lease_until = NULL, next_attempt_at = ?, delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END
         WHERE id = ? AND series = ?`,
      )
      .bind(outcome.status, outcome.httpStatus, outcome.error, outcome.nextAttemptAt, outcome.status, outcome.at, delivery.id, delivery.series),
    db
      .prepare('INSERT OR IGNORE INTO webhook_attempts (delivery_id, attempt, series, at, status, error, duration_ms) SELECT id, attempts, series, ?, ?, ?, ? FROM webhook_deliveries WHERE id = ?')
      .bind(outcome.at, outcome.httpStatus, outcome.error, outcome.durationMs, delivery.id),
  ];
  if (outcome.status === 'delivered') {
    statements.push(
      db
        .prepare('UPDATE notifications SET delivered_at = ? WHERE delivered_at IS NULL AND id = (SELECT notification_id FROM webhook_deliveries WHERE id = ?)')
        .bind(outcome.at, delivery.id),
    );
  }
  await db.batch(statements);
}

/** Ends a delivery without an attempt (its hook was deleted, its destination refused). */
export async function markDead(db: D1Database, id: string, error: string): Promise<void> {
  await db.prepare("UPDATE webhook_deliveries SET status = 'dead', last_error = ?, lease_until = NULL, next_attempt_at = NULL WHERE id = ? AND status = 'pending'").bind(error, id).run();
}

/** Starts a new attempt series (replay); null when there is no such delivery or its body was pruned. */
export async function restartSeries(db: D1Database, tenantId: string, hookId: string, id: string, now: string): Promise<DeliveryRow | null> {
  return db
    .prepare(
      `UPDATE webhook_deliveries SET status = 'pending', series = series + 1, series_attempts = 0, lease_until = NULL, next_attempt_at = ?, delivered_at = NULL
       WHERE id = ? AND hook_id = ? AND tenant_id = ? AND body IS NOT NULL RETURNING *`,
    )
    .bind(now, id, hookId, tenantId)
    .first<DeliveryRow>();
}

/** Drops the bodies of settled deliveries created before `before` (metadata and attempts stay). */
export async function pruneDeliveryBodies(db: D1Database, before: string, now: string): Promise<number> {
  const result = await db
    .prepare("UPDATE webhook_deliveries SET body = NULL, body_pruned_at = ? WHERE created_at < ? AND status != 'pending' AND body IS NOT NULL")
    .bind(now, before)
    .run();
  return result.meta.changes;
}

/** Pending deliveries whose next attempt is long overdue: their queue message was lost. */
export async function overdueDeliveries(db: D1Database, dueBefore: string, nowMs: number, limit = 100): Promise<Pick<DeliveryRow, 'id' | 'series'>[]> {
  const { results } = await db
    .prepare("SELECT id, series FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at < ? AND (lease_until IS NULL OR lease_until < ?) LIMIT ?")
    .bind(dueBefore, nowMs, limit)
    .all<Pick<DeliveryRow, 'id' | 'series'>>();
  return results;
}
