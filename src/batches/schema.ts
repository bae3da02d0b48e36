import { z } from '@hono/zod-openapi';
import { TASK_NAMES } from '../contracts/task-names';

/** Most items in one batch. */
export const MAX_BATCH_ITEMS = 10_000;
/** Largest create request, in bytes: the items are parsed and validated whole in one request. */
export const MAX_BATCH_BODY_BYTES = 10 * 1024 * 1024;
export const MAX_CUSTOM_ID_CHARS = 128;
/** Batches a tenant may have queued or running at once: what one tenant can store and keep the queue busy with. */
export const MAX_ACTIVE_BATCHES = 25;
export const MAX_IDEMPOTENCY_KEY_CHARS = 255;

// The task's own request schema checks each input in the handler (it depends on `task`); here an
// input only has to be an object, so an unknown task is reported as such, not as 10,000 bad inputs.
const inputSchema = z.record(z.string(), z.unknown()).openapi({ description: "The task's request body, as POST /v1/<task> takes it", example: { text: 'Arrived broken, support never answered' } });

export const createBatchSchema = z
  .object({
    task: z.string().openapi({ description: `The task every item runs: ${TASK_NAMES.join(', ')}`, example: 'sentiment' }),
    items: z
      .array(
        z
          .object({
            id: z.string().min(1, 'must not be empty').max(MAX_CUSTOM_ID_CHARS, `must be at most ${MAX_CUSTOM_ID_CHARS} characters`).optional().openapi({ description: 'Your id for the item, echoed on its result line; unique within the batch' }),
            input: inputSchema,
          })
          .strict(),
      )
      .optional()
      .openapi({ description: `Up to ${MAX_BATCH_ITEMS} items, each with an optional id of yours. Give \`items\` or \`inputs\`, not both` }),
    inputs: z.array(inputSchema).optional().openapi({ description: `Up to ${MAX_BATCH_ITEMS} inputs without ids (their index identifies them)` }),
    options: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: 'Request fields shared by every item (e.g. classify `labels`); an item may not set one of them again', example: { labels: ['billing', 'shipping'] } }),
  })
  .strict()
  .openapi('CreateBatchRequest', { example: { task: 'sentiment', items: [{ id: 'review-1', input: { text: 'Love it' } }, { id: 'review-2', input: { text: 'Broke in a day' } }] } });

export const batchSchema = z
  .object({
    id: z.string().openapi({ example: 'batch_4kTq9VwzX2mN8pLr' }),
    object: z.literal('batch'),
    task: z.string(),
    status: z.enum(['queued', 'in_progress', 'cancelling', 'completed', 'cancelled']),
    counts: z.object({
      total: z.number().int(),
      completed: z.number().int().openapi({ description: 'Items finished, succeeded or failed' }),
      succeeded: z.number().int(),
      failed: z.number().int(),
      cancelled: z.number().int().openapi({ description: 'Items that will not run because the batch was cancelled' }),
    }),
    usage: z.object({
      items: z.number().int().openapi({ description: 'The sum of the succeeded items\' usage.items: the texts (documents …) they held, as cached_items and units count' }),
      cached_items: z.number().int(),
      units: z.number(),
      cost_usd: z.number().openapi({ description: 'What the batch has cost so far: the sum of its items\' usage.cost_usd' }),
      neurons: z.number().optional(),
    }),
    results_url: z.string().openapi({ description: 'JSON Lines, one line per finished item in item order' }),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    cancelled_at: z.string().nullable(),
  })
  .openapi('Batch');

export const batchListSchema = z.object({
  object: z.literal('list'),
  data: z.array(batchSchema),
  has_more: z.boolean(),
  last_id: z.string().nullable().openapi({ description: 'Pass as `after` for the next page' }),
});

export const batchIdParams = z.object({ id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' }, example: 'batch_4kTq9VwzX2mN8pLr' }) });

export const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ param: { name: 'limit', in: 'query' }, description: '1–100, default 20' }),
    after: z.string().max(64).optional().openapi({ param: { name: 'after', in: 'query' }, description: 'The last id of the previous page' }),
  })
  .strict();

export const resultsQuery = z
  .object({
    after: z.coerce.number().int().min(-1).max(MAX_BATCH_ITEMS).default(-1).openapi({ param: { name: 'after', in: 'query' }, description: 'Only items with a larger index: the last index you have read' }),
  })
  .strict();
