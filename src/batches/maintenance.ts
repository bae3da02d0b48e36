import type { Bindings } from '../contracts/env';
import type { BatchChunkMessage } from '../contracts/queue-messages';
import { claimStalledBatches, pruneBatches } from '../storage/batches';
import { finishCancel } from './run-chunk';

/** Days an ended batch (its status, counts and result lines) is kept after it finished. */
export const BATCH_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;
/** A running batch with no progress for this long has lost its chunk message. */
const STALLED_MS = 15 * 60_000;

/**
 * Re-queues the next chunk of each stalled batch (a duplicate of a message that was only slow is
 * harmless: a chunk is recorded once, and only the delivery that recorded it queues the next).
 */
export async function requeueStalledBatches(env: Bindings, nowMs = Date.now()): Promise<number> {
  const stalled = await claimStalledBatches(env.DB, new Date(nowMs - STALLED_MS).toISOString(), new Date(nowMs).toISOString());
  for (const batch of stalled) {
    if (batch.status === 'cancelling') await finishCancel(env, batch.id);
    else await env.JOBS.send({ kind: 'batch.chunk', batchId: batch.id, tenantId: batch.tenant_id, seq: batch.next_chunk, deferrals: 0 } satisfies BatchChunkMessage);
  }
  return stalled.length;
}

/** The scheduled handler's batch work (wrangler.toml [triggers]): retention, and batches whose message was lost. */
export async function batchMaintenance(env: Bindings, nowMs = Date.now()): Promise<void> {
  await pruneBatches(env.DB, new Date(nowMs - BATCH_RETENTION_DAYS * DAY_MS).toISOString());
  await requeueStalledBatches(env, nowMs);
}
