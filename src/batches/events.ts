import type { Bindings } from '../contracts/env';
import type { BatchRow } from '../storage/batches';
import { emitTenantEvent } from '../tenant-events/emit';
import { batchSummary } from './present';

/**
 * Tells the tenant's subscribed hooks that a batch has ended (`batch.completed`, `batch.cancelled`),
 * so nobody has to poll. Called once per batch, by whichever write ended it. The batch itself is
 * already recorded: an event that cannot be recorded is logged, not retried into a second run.
 */
export async function announceEnded(env: Bindings, batch: BatchRow | null): Promise<void> {
  if (!batch || (batch.status !== 'completed' && batch.status !== 'cancelled')) return;
  try {
    await emitTenantEvent(env, batch.tenant_id, batch.status === 'completed' ? 'batch.completed' : 'batch.cancelled', batchSummary(batch));
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', batch_id: batch.id, error: `batch event not recorded: ${String(error)}` }));
  }
}
