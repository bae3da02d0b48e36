/** Batch jobs, their chunks of items and their result lines; see migrations/0010_batches.sql and docs/batches.md. */
export type BatchStatus = 'queued' | 'in_progress' | 'cancelling' | 'completed' | 'cancelled';

export interface BatchRow {
  id: string;
  tenant_id: string;
  key_id: string;
  task: string;
  status: BatchStatus;
  total: number;
  succeeded: number;
  failed: number;
  chunks: number;
  next_chunk: number;
  cost_usd: number;
  neurons: number;
  units: number;
  cached_items: number;
  /** The sum of the succeeded items' usage.items (0 on rows from before migration 0013). */
  usage_items: number;
  idempotency_key: string | null;
  request_hash: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  cancelled_at: string | null;
}

export type NewBatch = Pick<BatchRow, 'id' | 'tenant_id' | 'key_id' | 'task' | 'total' | 'chunks' | 'idempotency_key' | 'request_hash' | 'created_at'>;

/** One chunk as stored: its items' custom ids and, until it is done, their validated task requests. */
export interface ChunkRow {
  seq: number;
  first_index: number;
  ids: (string | null)[];
  inputs: unknown[] | null;
}

/** What a run of chunks added to the batch's counts. */
export interface ChunkTotals {
  succeeded: number;
  failed: number;
  costUsd: number;
  neurons: number;
  units: number;
  cachedItems: number;
  /** The items' usage.items: texts, documents … */
  usageItems: number;
}

/**
 * D1 keeps a bound value of at most 2 MB, and a batch call carries every statement at once: lines
 * are written in groups of about this many UTF-8 bytes (JSON-encoding a group as one array adds its
 * escapes, well under the 2 MB even for a line of the door's largest size alone).
 */
const GROUP_BYTES = 700_000;
const encoder = new TextEncoder();

/** Splits JSON texts into groups of at most GROUP_BYTES (a text larger than that is a group alone). */
function groupsOf(texts: string[]): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const text of texts) {
    const size = encoder.encode(text).byteLength;
    if (current.length > 0 && bytes + size > GROUP_BYTES) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(text);
    bytes += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Stores a new batch: its chunks first, then the batch row, so no reader ever sees a batch whose
 * items are missing. With an idempotency key already used by the tenant, nothing is added and the
 * existing batch is returned (`created: false`).
 */
export async function insertBatch(db: D1Database, batch: NewBatch, chunks: ChunkRow[]): Promise<{ batch: BatchRow; created: boolean }> {
  const chunkStatements = chunks.map((chunk) =>
    db
      .prepare('INSERT INTO batch_chunks (batch_id, seq, first_index, ids, inputs) VALUES (?, ?, ?, ?, ?)')
      .bind(batch.id, chunk.seq, chunk.first_index, JSON.stringify(chunk.ids), JSON.stringify(chunk.inputs)),
  );
  let inserted: D1Result;
  try {
    // Chunks are ≤ 1 MiB each: two per call keeps each call's payload near 2 MiB (100 calls for 10,000 items).
    for (let start = 0; start < chunkStatements.length; start += 2) await db.batch(chunkStatements.slice(start, start + 2));
    inserted = await db
      .prepare(
        `INSERT INTO batches (id, tenant_id, key_id, task, status, total, chunks, idempotency_key, request_hash, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .bind(batch.id, batch.tenant_id, batch.key_id, batch.task, batch.total, batch.chunks, batch.idempotency_key, batch.request_hash, batch.created_at, batch.created_at)
      .run();
  } catch (error) {
    // Chunks without their batch row would never be read or pruned: take back what was written.
    await db.prepare('DELETE FROM batch_chunks WHERE batch_id = ?').bind(batch.id).run().catch(() => undefined);
    throw error;
  }
  if (inserted.meta.changes > 0) return { batch: (await getBatchById(db, batch.id))!, created: true };
  // Another request took the idempotency key first: its batch stands, these chunks go.
  await db.prepare('DELETE FROM batch_chunks WHERE batch_id = ?').bind(batch.id).run();
  return { batch: (await findByIdempotencyKey(db, batch.tenant_id, batch.idempotency_key!))!, created: false };
}

/** Removes a batch that could not be queued, so a refused create leaves nothing behind. */
export async function deleteBatch(db: D1Database, id: string): Promise<void> {
  await db.batch([
    db.prepare('DELETE FROM batch_results WHERE batch_id = ?').bind(id),
    db.prepare('DELETE FROM batch_chunks WHERE batch_id = ?').bind(id),
    db.prepare('DELETE FROM batches WHERE id = ?').bind(id),
  ]);
}

/** How many of a tenant's batches have not ended. */
export async function countActiveBatches(db: D1Database, tenantId: string): Promise<number> {
  return (await db.prepare("SELECT COUNT(*) AS n FROM batches WHERE tenant_id = ? AND status IN ('queued', 'in_progress', 'cancelling')").bind(tenantId).first<number>('n')) ?? 0;
}

export async function findByIdempotencyKey(db: D1Database, tenantId: string, key: string): Promise<BatchRow | null> {
  return db.prepare('SELECT * FROM batches WHERE tenant_id = ? AND idempotency_key = ?').bind(tenantId, key).first<BatchRow>();
}

/** A tenant's batch: another tenant's id reads as missing. */
export async function getBatch(db: D1Database, tenantId: string, id: string): Promise<BatchRow | null> {
  return db.prepare('SELECT * FROM batches WHERE id = ? AND tenant_id = ?').bind(id, tenantId).first<BatchRow>();
}

/** For the queue consumer, whose message names the batch. */
export async function getBatchById(db: D1Database, id: string): Promise<BatchRow | null> {
  return db.prepare('SELECT * FROM batches WHERE id = ?').bind(id).first<BatchRow>();
}

/** Newest first; `after` is the id of the last batch of the previous page; `tasks` limits which tasks are listed. */
export async function listBatches(db: D1Database, query: { tenantId: string; limit: number; after?: string; tasks?: readonly string[] }): Promise<BatchRow[]> {
  const clauses = ['tenant_id = ?'];
  const values: unknown[] = [query.tenantId];
  if (query.after) {
    clauses.push('(created_at, id) < (SELECT created_at, id FROM batches WHERE id = ? AND tenant_id = ?)');
    values.push(query.after, query.tenantId);
  }
  if (query.tasks) {
    clauses.push(`task IN (SELECT value FROM json_each(?))`);
    values.push(JSON.stringify(query.tasks));
  }
  const { results } = await db
    .prepare(`SELECT * FROM batches WHERE ${clauses.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ?`)
    .bind(...values, query.limit)
    .all<BatchRow>();
  return results;
}

/** Marks a queued batch as running (once); returns the batch as it now stands. */
export async function startBatch(db: D1Database, id: string, now: string): Promise<BatchRow | null> {
  await db.prepare("UPDATE batches SET status = 'in_progress', started_at = COALESCE(started_at, ?1), updated_at = ?1 WHERE id = ?2 AND status = 'queued'").bind(now, id).run();
  return getBatchById(db, id);
}

/**
 * Cancels a tenant's batch: a queued one at once; a running one becomes `cancelling` until its
 * chunk in flight has written its results. Null when there is no such batch or it has ended.
 */
export async function cancelBatch(db: D1Database, tenantId: string, id: string, now: string): Promise<BatchRow | null> {
  return db
    .prepare(
      `UPDATE batches SET status = CASE status WHEN 'queued' THEN 'cancelled' ELSE 'cancelling' END,
         cancelled_at = ?1, updated_at = ?1, finished_at = CASE status WHEN 'queued' THEN ?1 ELSE finished_at END
       WHERE id = ?2 AND tenant_id = ?3 AND status IN ('queued', 'in_progress') RETURNING *`,
    )
    .bind(now, id, tenantId)
    .first<BatchRow>();
}

/** Notes progress that changes no count (a chunk put back for the rate limit), so the batch does not look stalled. */
export async function touchBatch(db: D1Database, id: string, now: string): Promise<void> {
  await db.prepare('UPDATE batches SET updated_at = ? WHERE id = ?').bind(now, id).run();
}

/** A `cancelling` batch with no chunk in flight is `cancelled`; the batch if this call settled it, else null. */
export async function settleCancelled(db: D1Database, id: string, now: string): Promise<BatchRow | null> {
  return db.prepare("UPDATE batches SET status = 'cancelled', finished_at = ?1, updated_at = ?1 WHERE id = ?2 AND status = 'cancelling' RETURNING *").bind(now, id).first<BatchRow>();
}

export async function getChunk(db: D1Database, batchId: string, seq: number): Promise<ChunkRow | null> {
  const row = await db.prepare('SELECT seq, first_index, ids, inputs FROM batch_chunks WHERE batch_id = ? AND seq = ?').bind(batchId, seq).first<{ seq: number; first_index: number; ids: string; inputs: string | null }>();
  return row ? { seq: row.seq, first_index: row.first_index, ids: JSON.parse(row.ids), inputs: row.inputs === null ? null : JSON.parse(row.inputs) } : null;
}

/** The custom ids of chunks `fromSeq` onwards (the inputs are not read), in item order. */
export async function chunkIdsFrom(db: D1Database, batchId: string, fromSeq: number): Promise<{ firstIndex: number; ids: (string | null)[] }[]> {
  const { results } = await db
    .prepare('SELECT first_index, ids FROM batch_chunks WHERE batch_id = ? AND seq >= ? ORDER BY seq')
    .bind(batchId, fromSeq)
    .all<{ first_index: number; ids: string }>();
  return results.map((row) => ({ firstIndex: row.first_index, ids: JSON.parse(row.ids) }));
}

/**
 * Records chunks [fromSeq, toSeq) as done in one transaction: their result lines (`lines[k]` is
 * item `firstIndex + k`), their inputs dropped, the batch's counts and `next_chunk` moved on, and
 * its status settled when that was the last chunk or a cancel is waiting. Applies only if
 * `fromSeq` is still the next chunk, so a redelivered message cannot count a chunk twice.
 * Returns the batch as it now stands, or null when another delivery had already recorded it.
 */
export async function recordChunks(
  db: D1Database,
  done: { batchId: string; fromSeq: number; toSeq: number; firstIndex: number; lines: string[]; totals: ChunkTotals; now: string },
): Promise<BatchRow | null> {
  const { batchId, totals } = done;
  const statements: D1PreparedStatement[] = [];
  let index = done.firstIndex;
  for (const group of groupsOf(done.lines)) {
    statements.push(db.prepare('INSERT OR IGNORE INTO batch_results (batch_id, idx, line) SELECT ?, ? + key, value FROM json_each(?)').bind(batchId, index, JSON.stringify(group)));
    index += group.length;
  }
  statements.push(db.prepare('UPDATE batch_chunks SET inputs = NULL WHERE batch_id = ? AND seq >= ? AND seq < ?').bind(batchId, done.fromSeq, done.toSeq));
  statements.push(
    db
      .prepare(
        `UPDATE batches SET next_chunk = ?1, succeeded = succeeded + ?2, failed = failed + ?3, cost_usd = cost_usd + ?4,
           neurons = neurons + ?5, units = units + ?6, cached_items = cached_items + ?7, usage_items = usage_items + ?11,
           status = CASE WHEN status = 'cancelling' THEN 'cancelled' WHEN ?1 >= chunks THEN 'completed' ELSE 'in_progress' END,
           started_at = COALESCE(started_at, ?8), updated_at = ?8,
           finished_at = CASE WHEN status = 'cancelling' OR ?1 >= chunks THEN ?8 ELSE finished_at END
         WHERE id = ?9 AND next_chunk = ?10 AND status IN ('queued', 'in_progress', 'cancelling') RETURNING *`,
      )
      .bind(done.toSeq, totals.succeeded, totals.failed, totals.costUsd, totals.neurons, totals.units, totals.cachedItems, done.now, batchId, done.fromSeq, totals.usageItems),
  );
  const results = await db.batch<BatchRow>(statements);
  return results.at(-1)?.results[0] ?? null;
}

/** Rows read per page of results: bounded in count, and in bytes (about MAX_PAGE_BYTES plus one line). */
const PAGE_ROWS = 500;
const MAX_PAGE_BYTES = 4_000_000;

/** Result lines of items after `afterIndex`, in item order: one page, bounded in rows and bytes. */
export async function resultLines(db: D1Database, batchId: string, afterIndex: number): Promise<{ idx: number; line: string }[]> {
  const { results } = await db
    .prepare(
      `SELECT idx, line FROM (
         SELECT idx, line, SUM(length(line)) OVER (ORDER BY idx) - length(line) AS bytes_before
         FROM batch_results WHERE batch_id = ? AND idx > ? AND idx <= ? ORDER BY idx
       ) WHERE bytes_before < ? ORDER BY idx`,
    )
    .bind(batchId, afterIndex, afterIndex + PAGE_ROWS, MAX_PAGE_BYTES)
    .all<{ idx: number; line: string }>();
  return results;
}

/**
 * Batches that have not moved since `before` (their chunk message was lost: a send that failed
 * after its chunk was recorded). Each is touched, so it is handed out again only after another wait.
 */
export async function claimStalledBatches(db: D1Database, before: string, now: string, limit = 50): Promise<BatchRow[]> {
  const { results } = await db
    .prepare(
      `UPDATE batches SET updated_at = ?1 WHERE id IN (
         SELECT id FROM batches WHERE status IN ('queued', 'in_progress', 'cancelling') AND updated_at < ?2 LIMIT ?3
       ) RETURNING *`,
    )
    .bind(now, before, limit)
    .all<BatchRow>();
  return results;
}

/** Deletes batches that ended before `before`, with their chunks and lines: a few per call, so one run stays small. */
export async function pruneBatches(db: D1Database, before: string, limit = 5): Promise<number> {
  const { results } = await db
    .prepare("SELECT id FROM batches WHERE status IN ('completed', 'cancelled') AND finished_at < ? LIMIT ?")
    .bind(before, limit)
    .all<{ id: string }>();
  for (const { id } of results) await deleteBatch(db, id);
  return results.length;
}
