import type { Bindings } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import type { BatchChunkMessage } from '../contracts/queue-messages';
import { getBatchById } from '../storage/batches';
import { continueBatch, failChunks, finishCancel, processChunk } from './run-chunk';

/**
 * The JOBS queue's batch chunks (src/index.ts hands them here; webhook messages go to
 * webhooks/consumer.ts). Each message is acked on its own; one that throws (D1, the guard or the
 * queue unavailable) is retried by the queue, and after its retries goes to the dead-letter queue.
 */
export async function consumeBatchChunks(messages: readonly Message<BatchChunkMessage>[], env: Bindings, ctx: ExecutionContext): Promise<void> {
  await Promise.all(
    messages.map(async (message) => {
      try {
        await processChunk(env, ctx, message.body, message.attempts > 1);
        message.ack();
      } catch (error) {
        console.error(JSON.stringify({ level: 'error', queue: 'minnow-jobs', message: message.id, batch_id: message.body.batchId, seq: message.body.seq, attempts: message.attempts, error: String(error) }));
        message.retry({ delaySeconds: Math.min(60, 2 ** message.attempts) });
      }
    }),
  );
}

/**
 * A chunk that failed on every retry: its items fail with `internal_error` and the batch goes on
 * with the next chunk, so it still ends with one line per item rather than hanging.
 */
export async function consumeDeadBatchChunks(messages: readonly Message<BatchChunkMessage>[], env: Bindings): Promise<void> {
  for (const message of messages) {
    const { batchId, seq } = message.body;
    const batch = await getBatchById(env.DB, batchId);
    if (batch?.status === 'cancelling') await finishCancel(env, batchId);
    else if (batch && batch.next_chunk === seq && (batch.status === 'in_progress' || batch.status === 'queued')) {
      const error = new ApiError(500, 'internal_error', "This item's chunk failed on every retry; run the item again");
      await continueBatch(env, await failChunks(env, batch, seq, seq + 1, error));
    }
    console.error(JSON.stringify({ level: 'error', queue: 'minnow-jobs-dlq', batch_id: batchId, seq, error: 'batch chunk failed on every retry; its items were failed' }));
    message.ack();
  }
}
