import { admitBackground } from '../admission/background';
import { refusalError } from '../admission/admit';
import type { Bindings } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { MAX_QUEUE_DELAY_SECONDS, type BatchChunkMessage } from '../contracts/queue-messages';
import type { TaskContext } from '../pipeline/context';
import { runTask, taskPlan, taskResolver } from '../pipeline/run-task';
import { mapWithConcurrency } from '../providers/concurrency';
import { withHeldReservation } from '../pipeline/step-context';
import { chunkIdsFrom, getBatchById, getChunk, recordChunks, settleCancelled, startBatch, touchBatch, type BatchRow, type ChunkTotals } from '../storage/batches';
import { TASKS } from '../tasks/registry';
import type { TaskName } from '../contracts/task-names';
import type { AnyTask } from '../tasks/types';
import { announceEnded } from './events';
import { failedLine, itemRequestId, succeededLine } from './present';

/** Items of a chunk run at once: enough to overlap upstream latency, few enough to stay gentle on one tenant's providers. */
const ITEMS_AT_ONCE = 8;
/** Times one chunk is put back for the tenant's rate limit before its remaining items fail with the 429. */
export const MAX_CHUNK_DEFERRALS = 120;
/** A result line past this many bytes is stored as an error instead (D1 keeps a value ≤ 2 MB). */
export const MAX_LINE_BYTES = 800_000;

const ZERO_TOTALS: ChunkTotals = { succeeded: 0, failed: 0, costUsd: 0, neurons: 0, units: 0, cachedItems: 0, usageItems: 0 };

interface ItemOutcome {
  line: string;
  totals: ChunkTotals;
}

/** One item of a chunk: its input, and the task that answers it as read for the chunk, or why none can. */
type ChunkItem = { input: unknown; resolved: AnyTask | ApiError };

/** Runs one item through the pipeline, as POST /v1/<task> would, and turns the outcome into its line. */
async function runItem(context: TaskContext, batch: BatchRow, id: string | null, index: number, { input, resolved }: ChunkItem): Promise<ItemOutcome> {
  const task = TASKS[batch.task as TaskName];
  const failed = (error: ApiError): ItemOutcome => ({ line: failedLine(batch.id, id, index, error), totals: { ...ZERO_TOTALS, failed: 1 } });
  if (resolved instanceof ApiError) return failed(resolved);
  try {
    // What admission priced it as (a classifier, read once for the chunk) answers it: not read again.
    const { envelope } = await runTask({ ...context, requestId: itemRequestId(batch.id, index), resolvedTask: resolved }, task, input);
    const result = task.api.presentResults ? { ...envelope, results: task.api.presentResults(envelope.results) } : envelope;
    const line = succeededLine(id, index, result);
    const usage = { ...ZERO_TOTALS, succeeded: 1, costUsd: envelope.usage.cost_usd, neurons: envelope.usage.neurons ?? 0, units: envelope.usage.units, cachedItems: envelope.usage.cached_items, usageItems: envelope.usage.items };
    if (new TextEncoder().encode(line).byteLength <= MAX_LINE_BYTES) return { line, totals: usage };
    // It ran and was paid for: the cost stays counted, the answer cannot be kept.
    const tooLarge = failed(new ApiError(413, 'result_too_large', `The result is larger than ${MAX_LINE_BYTES} bytes, the most one result line may hold; send fewer texts per item`));
    return { line: tooLarge.line, totals: { ...usage, succeeded: 0, failed: 1 } };
  } catch (error) {
    if (error instanceof ApiError) return failed(error);
    console.error(JSON.stringify({ level: 'error', batch_id: batch.id, index, error: String(error) }));
    return failed(new ApiError(500, 'internal_error', 'The item failed unexpectedly'));
  }
}

/** Runs items with at most ITEMS_AT_ONCE in flight; outcomes in item order (runItem never throws: a failure is its line). */
function runItems(context: TaskContext, batch: BatchRow, ids: (string | null)[], items: ChunkItem[], firstIndex: number): Promise<ItemOutcome[]> {
  return mapWithConcurrency(items, ITEMS_AT_ONCE, (item, k) => runItem(context, batch, ids[k] ?? null, firstIndex + k, item));
}

/**
 * The task that answers each of a chunk's items, each thing they name (a classifier) read once for
 * the chunk (taskResolver): read again per chunk, since it may have been retrained or deleted since
 * the batch was created. An item that can no longer use it (404, 409, or 503: its weights
 * unreadable) fails with that error on its own line, as the single call would answer; the rest
 * run. Any other failure (D1 unavailable) throws before any item ran: the queue retries the chunk.
 */
async function resolveItems(env: Bindings, batch: BatchRow, inputs: unknown[]): Promise<ChunkItem[]> {
  const task = TASKS[batch.task as TaskName];
  const resolve = taskResolver(env);
  return Promise.all(
    inputs.map(async (input) => {
      try {
        return { input, resolved: await resolve(batch.tenant_id, task, input) };
      } catch (error) {
        if (error instanceof ApiError) return { input, resolved: error };
        throw error;
      }
    }),
  );
}

const sum = (a: ChunkTotals, b: ChunkTotals): ChunkTotals => ({
  succeeded: a.succeeded + b.succeeded,
  failed: a.failed + b.failed,
  costUsd: a.costUsd + b.costUsd,
  neurons: a.neurons + b.neurons,
  units: a.units + b.units,
  cachedItems: a.cachedItems + b.cachedItems,
  usageItems: a.usageItems + b.usageItems,
});

/** Settles a `cancelling` batch as `cancelled` (once) and announces it. */
export async function finishCancel(env: Bindings, batchId: string): Promise<void> {
  await announceEnded(env, await settleCancelled(env.DB, batchId, new Date().toISOString()));
}

/**
 * After a chunk is recorded: queues the batch's next chunk, or — when that was the last, or a
 * cancel was waiting — settles and announces its end. `after` is null when another delivery had
 * recorded the chunk: that one goes on.
 */
export async function continueBatch(env: Bindings, after: BatchRow | null): Promise<void> {
  if (!after) return;
  if (after.status === 'in_progress' && after.next_chunk < after.chunks) {
    await env.JOBS.send({ kind: 'batch.chunk', batchId: after.id, tenantId: after.tenant_id, seq: after.next_chunk, deferrals: 0 } satisfies BatchChunkMessage);
  } else if (after.status === 'cancelling') {
    await finishCancel(env, after.id);
  } else {
    await announceEnded(env, after);
  }
}

/**
 * Fails every item of chunks [seq, toSeq) with `error` (a budget refusal, a revoked key, a chunk
 * that failed on every retry): the batch still ends with one line per item.
 */
export async function failChunks(env: Bindings, batch: BatchRow, seq: number, toSeq: number, error: ApiError): Promise<BatchRow | null> {
  const chunks = (await chunkIdsFrom(env.DB, batch.id, seq)).slice(0, toSeq - seq);
  const first = chunks[0];
  if (!first) return null;
  const lines = chunks.flatMap((chunk) => chunk.ids.map((id, k) => failedLine(batch.id, id, chunk.firstIndex + k, error)));
  return recordChunks(env.DB, { batchId: batch.id, fromSeq: seq, toSeq, firstIndex: first.firstIndex, lines, totals: { ...ZERO_TOTALS, failed: lines.length }, now: new Date().toISOString() });
}

/**
 * Consumes one chunk message: admits the chunk through the tenant's guard as one request
 * reserving what its items can cost together, runs each item through the same pipeline as the
 * HTTP route (cache, single-flight, providers, metering per item), records the lines and counts,
 * and queues the next chunk. A rate-limited chunk is put back for the guard's Retry-After; a
 * budget refusal or a revoked key fails the remaining items with that error.
 */
export async function processChunk(env: Bindings, ctx: ExecutionContext, message: BatchChunkMessage, redelivered: boolean): Promise<void> {
  let batch = await getBatchById(env.DB, message.batchId);
  if (!batch) return;
  if (batch.status === 'cancelling') return finishCancel(env, batch.id);
  if (batch.status === 'completed' || batch.status === 'cancelled') return;
  // A message for a chunk already recorded: a duplicate, or a retry whose send of the next chunk may have been lost.
  if (batch.next_chunk !== message.seq) {
    if (redelivered && batch.next_chunk === message.seq + 1) await continueBatch(env, batch);
    return;
  }
  if (batch.status === 'queued') batch = (await startBatch(env.DB, batch.id, new Date().toISOString()))!;
  const chunk = await getChunk(env.DB, batch.id, message.seq);
  if (!chunk?.inputs) return;
  const items = await resolveItems(env, batch, chunk.inputs);
  // Each item priced as the guard would price it alone, as what answers it (a neural classifier on its
  // embedding model's provider, whatever the tenant's classify plan), else on the tenant's plan,
  // among the providers this deployment has (the same per-task estimates a webhook job sends). An
  // item that will fail before any call costs nothing.
  const plans = items.flatMap(({ input, resolved }) => (resolved instanceof ApiError ? [] : [taskPlan(env, resolved, input)]));
  const waitUntil = (promise: Promise<unknown>) => ctx.waitUntil(promise);
  const { admission, context } = await admitBackground(env, { tenantId: batch.tenant_id, keyId: batch.key_id, requestId: `${batch.id}.chunk${chunk.seq}`, plans }, waitUntil);
  if (!context) {
    if (admission.outcome === 'rate_limited' && message.deferrals < MAX_CHUNK_DEFERRALS) {
      // A new message, not a retry: waiting for the rate limit must not use up the retries kept for failures.
      const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(1, admission.retryAfterSeconds));
      await env.JOBS.send({ ...message, deferrals: message.deferrals + 1 }, { delaySeconds });
      await touchBatch(env.DB, batch.id, new Date().toISOString());
      return;
    }
    const refused = refusalError(admission) ?? new ApiError(503, 'admission_unavailable', 'The batch could not be admitted');
    await continueBatch(env, await failChunks(env, batch, chunk.seq, batch.chunks, refused));
    return;
  }
  // One reservation covers the chunk until every item is done; each item charges what it cost.
  const outcomes = await withHeldReservation(context, (steps) => runItems(steps, batch, chunk.ids, items, chunk.first_index));
  const after = await recordChunks(env.DB, {
    batchId: batch.id,
    fromSeq: chunk.seq,
    toSeq: chunk.seq + 1,
    firstIndex: chunk.first_index,
    lines: outcomes.map((outcome) => outcome.line),
    totals: outcomes.reduce((total, outcome) => sum(total, outcome.totals), ZERO_TOTALS),
    now: new Date().toISOString(),
  });
  await continueBatch(env, after);
}
