import { ApiError } from '../../contracts/errors';
import { mapWithConcurrency } from '../concurrency';
import type { ProviderCall } from '../types';

/**
 * text-embeddings-inference refuses a request with more inputs than its `--max-client-batch-size`,
 * 32 by default (TEI router: `max_client_batch_size`, default 32; the error is
 * `{"error": "batch size 50 > maximum allowed batch size 32", "error_type": "Validation"}`).
 * Every HF embedding, rerank and similarity call is cut to at most this many texts.
 */
export const TEI_MAX_CLIENT_BATCH = 32;
/**
 * The most texts one call may carry: HF_MAX_CLIENT_BATCH for the deployment's routes (serverless
 * and HF_ENDPOINTS), when it is set to a whole number ≥ 1; else TEI's default. A tenant's own
 * endpoint gets the default: its configuration is not known here (a smaller cap is learnt from
 * its refusal, see inBatches).
 */
export function hfBatchLimit(call: Pick<ProviderCall<unknown, unknown>, 'env' | 'endpoint'>): number {
  if (call.endpoint) return TEI_MAX_CLIENT_BATCH;
  const configured = Number(call.env.HF_MAX_CLIENT_BATCH);
  return Number.isInteger(configured) && configured >= 1 ? configured : TEI_MAX_CLIENT_BATCH;
}

/** Chunks of one request in flight at once: a 100-text batch is 4 calls, all in parallel. */
export const HF_BATCH_CONCURRENCY = 4;

/**
 * The maximum an endpoint states when it refuses a batch (an endpoint started with a smaller
 * `--max-client-batch-size`): TEI's message is "batch size N > maximum allowed batch size M".
 */
export function statedBatchLimit(error: unknown): number | undefined {
  if (!(error instanceof ApiError) && !(error instanceof Error)) return undefined;
  const match = /maximum allowed batch size (\d+)/i.exec(error.message);
  const limit = match ? Number(match[1]) : NaN;
  return Number.isInteger(limit) && limit >= 1 ? limit : undefined;
}

const chunksOf = <T>(list: T[], size: number): T[][] => Array.from({ length: Math.ceil(list.length / size) }, (_, index) => list.slice(index * size, (index + 1) * size));

/**
 * Runs `run` over `items` cut into chunks of at most `limit`, at most HF_BATCH_CONCURRENCY
 * chunks at a time, and returns the results concatenated in the items' order. `run` gets the
 * chunk and the index of its first item, and must return one result per item of the chunk. An
 * endpoint configured below the default states its maximum when it refuses a chunk: the batch is
 * then cut again to that maximum, once.
 */
export async function inBatches<T, R>(items: T[], run: (chunk: T[], offset: number) => Promise<R[]>, limit = TEI_MAX_CLIENT_BATCH): Promise<R[]> {
  const attempt = async (size: number) => {
    const chunks = chunksOf(items, size);
    const answers = await mapWithConcurrency(chunks, HF_BATCH_CONCURRENCY, (chunk, index) => run(chunk, index * size));
    return answers.flat();
  };
  try {
    return await attempt(limit);
  } catch (error) {
    const stated = statedBatchLimit(error);
    if (stated === undefined || stated >= limit) throw error;
    return attempt(stated);
  }
}
