import { ApiError, errorBody } from '../contracts/errors';
import type { BatchRow } from '../storage/batches';

/** The batch as the API shows it: counts, and cost so far in the usual usage fields. */
export function presentBatch(row: BatchRow, origin: string) {
  const { created_at, started_at, finished_at, cancelled_at, ...rest } = batchSummary(row);
  return { ...rest, results_url: `${origin}/v1/batches/${row.id}/results`, created_at, started_at, finished_at, cancelled_at };
}

/** The batch without its URL (the queue consumer knows no origin): the data of its `batch.completed` / `batch.cancelled` event. */
export function batchSummary(row: BatchRow) {
  const finished = row.succeeded + row.failed;
  return {
    id: row.id,
    object: 'batch' as const,
    task: row.task,
    status: row.status,
    counts: {
      total: row.total,
      completed: finished,
      succeeded: row.succeeded,
      failed: row.failed,
      cancelled: row.status === 'cancelled' ? row.total - finished : 0,
    },
    usage: {
      // Rows from before migration 0013 counted succeeded items here; every succeeded item holds at least one.
      items: row.usage_items || row.succeeded,
      cached_items: row.cached_items,
      units: row.units,
      cost_usd: row.cost_usd,
      ...(row.neurons > 0 ? { neurons: row.neurons } : {}),
    },
    created_at: row.created_at,
    started_at: row.started_at,
    finished_at: row.finished_at,
    cancelled_at: row.cancelled_at,
  };
}

/** An item's request id: its envelope's `id`, its usage event's `request_id` (one per item, so a redelivered chunk meters it once). */
export const itemRequestId = (batchId: string, index: number) => `${batchId}.${index}`;

/** One result line: `{ id, index, status, result | error }`, the error in the one error shape. */
export function succeededLine(id: string | null, index: number, result: unknown): string {
  return JSON.stringify({ id, index, status: 'succeeded', result });
}

export function failedLine(batchId: string, id: string | null, index: number, error: ApiError): string {
  return JSON.stringify({ id, index, status: 'failed', error: errorBody(error, itemRequestId(batchId, index)).error });
}

/** The line of an item a cancel stopped before it ran (made when the results are read; nothing is stored). */
export function cancelledLine(batchId: string, id: string | null, index: number): string {
  return JSON.stringify({ id, index, status: 'cancelled', error: errorBody(new ApiError(409, 'batch_cancelled', 'The batch was cancelled before this item ran'), itemRequestId(batchId, index)).error });
}
