import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { admitBatchRequest } from '../admission/admit';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { validationError } from '../contracts/validation';
import type { BatchChunkMessage } from '../contracts/queue-messages';
import type { KeyScope } from '../contracts/scopes';
import { BATCHES } from '../admission/browser-keys';
import { apiKeyFormat } from '../http/api-key-format';
import { errorResponse as error } from '../http/error-responses';
import { jsonBody } from '../http/json-body';
import { noBody } from '../http/no-body';
import { newId, sha256Hex } from '../security/crypto';
import type { AuthenticatedKey } from '../storage/api-keys';
import { cancelBatch, countActiveBatches, deleteBatch, findByIdempotencyKey, getBatch, insertBatch, listBatches, type BatchRow } from '../storage/batches';
import { announceEnded } from './events';
import { batchTask, firstRequestOf, prepareBatch } from './prepare';
import { TASKS } from '../tasks/registry';
import { presentBatch } from './present';
import { batchResolver } from './resolve';
import { resultsStream } from './results';
import { batchIdParams, batchListSchema, batchSchema, createBatchSchema, listQuery, MAX_ACTIVE_BATCHES, MAX_BATCH_BODY_BYTES, MAX_IDEMPOTENCY_KEY_CHARS, resultsQuery } from './schema';

const accountErrors = {
  401: error('Missing, unknown or revoked API key'),
  403: error('A publishable key, or a key not allowed to run the task'),
  429: error('Rate limit exceeded; see `Retry-After`'),
};
const batchJson = { 'application/json': { schema: batchSchema } };
const notFound = () => new ApiError(404, 'batch_not_found', 'No such batch', { param: 'id' });
const originOf = (c: Context<AppEnv>) => new URL(c.req.url).origin;

/** A key limited to some tasks sees only those tasks' batches; anything else reads as missing. */
const mayRead = (key: AuthenticatedKey, task: string) => key.scopes.includes('*') || key.scopes.includes(task as KeyScope);

async function visibleBatch(c: Context<AppEnv>, id: string): Promise<{ key: AuthenticatedKey; batch: BatchRow }> {
  const { key } = await admitBatchRequest(c);
  const batch = await getBatch(c.env.DB, key.tenantId, id);
  if (!batch || !mayRead(key, batch.task)) throw notFound();
  return { key, batch };
}

/** The Idempotency-Key header, if sent: printable ASCII, bounded. */
function idempotencyKeyOf(c: Context<AppEnv>): string | null {
  const value = c.req.header('idempotency-key');
  if (value === undefined) return null;
  if (!/^[\x21-\x7e]{1,255}$/.test(value)) {
    throw new ApiError(400, 'invalid_idempotency_key', `Idempotency-Key must be 1–${MAX_IDEMPOTENCY_KEY_CHARS} printable ASCII characters without spaces`, { param: 'Idempotency-Key' });
  }
  return value;
}

/** The batch an Idempotency-Key already made, replayed; refused if that key came with another body. */
function replay(c: Context<AppEnv>, existing: BatchRow, requestHash: string) {
  if (existing.request_hash !== requestHash) {
    throw new ApiError(422, 'idempotency_key_reused', `This Idempotency-Key was used for another batch (${existing.id}) with a different body; use a new key for a new batch`, { param: 'Idempotency-Key' });
  }
  c.header('Idempotent-Replayed', 'true');
  return c.json(presentBatch(existing, originOf(c)), 200);
}

/**
 * A create body zod refused. A JSON array is most likely the items sent bare, without the batch
 * around them: said so, naming `items`, rather than "expected object" about no field at all.
 */
function batchBodyError(error: z.ZodError, body: unknown): ApiError {
  if (Array.isArray(body)) {
    return new ApiError(
      400,
      'invalid_field',
      'The body is a JSON array; a batch is an object with the task and its items: {"task": "sentiment", "items": [{"id": "r1", "input": {"text": "…"}}]} (or "inputs": [{"text": "…"}] without ids)',
      { param: 'items' },
    );
  }
  return validationError(error, body);
}

export function registerBatchRoutes(app: OpenAPIHono<AppEnv>): void {
  const common = { tags: ['batches'], security: [{ apiKey: [] }] };

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/batches',
      summary: 'Run one task over up to 10,000 items in the background; results as JSON Lines',
      description:
        'Every item is checked against the task\'s own request schema first: one invalid item refuses the whole batch (400 naming `items.<i>.…`). ' +
        'An accepted batch runs on a queue through the same pipeline as `POST /v1/<task>` (cache, limits, budget, metering) and ends with one result line per item. ' +
        'Send `Idempotency-Key` to make retrying the create safe.',
      middleware: [apiKeyFormat({ secretOnly: BATCHES }), jsonBody({ maxBytes: MAX_BATCH_BODY_BYTES })] as const,
      request: {
        headers: z.object({ 'idempotency-key': z.string().optional().openapi({ description: 'A retry with the same key and body returns the first batch (200, `Idempotent-Replayed: true`)' }) }),
        body: { required: true, content: { 'application/json': { schema: createBatchSchema } } },
      },
      responses: {
        202: { description: 'Accepted: the batch is queued', content: batchJson },
        200: { description: 'The batch this Idempotency-Key already created', content: batchJson },
        400: error('An unknown task, an invalid item (`param` names it: `items.3.input.text`); a body that is a JSON array (the items without the batch around them: `param` `items`), over 10,000 items'),
        402: error('The budget is spent, or cannot pay for the first item; nothing was queued'),
        404: error('An item names a classifier the tenant does not have (`param`: `items.3.input.classifier` or `options.classifier`); nothing was queued'),
        409: error('An item names a classifier with no ready version; nothing was queued'),
        413: error(`Body larger than ${MAX_BATCH_BODY_BYTES} bytes, or one item larger than a request to the task`),
        422: error('The Idempotency-Key was used with another body'),
        503: error('No provider can run the task here (`no_provider_available`, as `POST /v1/<task>` would answer; not retryable), the queue did not take the batch, or the weights of a classifier an item names could not be read; nothing was kept'),
        ...accountErrors,
        429: error(`Rate limit exceeded, or ${MAX_ACTIVE_BATCHES} batches already queued or running (\`too_many_active_batches\`); see \`Retry-After\``),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const idempotencyKey = idempotencyKeyOf(c);
      const task = TASKS[batchTask(body.task)];
      // What the items name (a classifier) is read once per name: the first item's to price it here.
      const named = batchResolver(c.env, body, task);
      const firstInput = firstRequestOf(body);
      const first = firstInput === undefined ? undefined : { input: firstInput, resolve: (tenantId: string) => named.first(tenantId, firstInput) };
      const { key, policy } = await admitBatchRequest(c, { task, ...(first ? { first } : {}) });
      const requestHash = await sha256Hex(JSON.stringify(body));
      if (idempotencyKey) {
        const existing = await findByIdempotencyKey(c.env.DB, key.tenantId, idempotencyKey);
        if (existing) return replay(c, existing, requestHash);
      }
      if ((await countActiveBatches(c.env.DB, key.tenantId)) >= MAX_ACTIVE_BATCHES) {
        throw new ApiError(429, 'too_many_active_batches', `A tenant may have at most ${MAX_ACTIVE_BATCHES} batches queued or running at once; wait for one to finish, or cancel one`, { headers: { 'Retry-After': '60' } });
      }
      const prepared = prepareBatch(body);
      await named.every(key.tenantId, policy, prepared);
      const { batch, created } = await insertBatch(
        c.env.DB,
        { id: newId('batch'), tenant_id: key.tenantId, key_id: key.id, task: prepared.task, total: prepared.total, chunks: prepared.chunks.length, idempotency_key: idempotencyKey, request_hash: requestHash, created_at: new Date().toISOString() },
        prepared.chunks,
      );
      if (!created) return replay(c, batch, requestHash);
      try {
        await c.env.JOBS.send({ kind: 'batch.chunk', batchId: batch.id, tenantId: key.tenantId, seq: 0, deferrals: 0 } satisfies BatchChunkMessage);
      } catch (cause) {
        // Nothing half-done: a batch that is not on the queue would never run, so it is not kept either.
        console.error(JSON.stringify({ level: 'error', request_id: c.get('requestId'), batch_id: batch.id, error: `batch not queued: ${String(cause)}` }));
        await deleteBatch(c.env.DB, batch.id);
        throw new ApiError(503, 'queue_unavailable', 'The batch could not be queued; nothing was kept. Retry shortly', { headers: { 'Retry-After': '1' } });
      }
      return c.json(presentBatch(batch, originOf(c)), 202);
    },
    (result) => {
      if (!result.success) throw batchBodyError(result.error, (result as { data?: unknown }).data);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/batches',
      summary: 'List your batches, newest first',
      middleware: [apiKeyFormat()] as const,
      request: { query: listQuery },
      responses: { 200: { description: 'A page of batches', content: { 'application/json': { schema: batchListSchema } } }, 400: error('Invalid `limit` or `after`'), ...accountErrors },
    }),
    async (c) => {
      const { limit, after } = c.req.valid('query');
      const { key } = await admitBatchRequest(c);
      const tasks = key.scopes.includes('*') ? undefined : key.scopes;
      // A cursor that names none of the tenant's batches would list nothing, as if the pages had ended.
      if (after && !(await getBatch(c.env.DB, key.tenantId, after))) {
        throw new ApiError(400, 'invalid_field', `Invalid "after": ${after.slice(0, 64)} is not the id of one of your batches (pass last_id from the previous page)`, { param: 'after' });
      }
      const rows = await listBatches(c.env.DB, { tenantId: key.tenantId, limit: limit + 1, ...(after ? { after } : {}), ...(tasks ? { tasks } : {}) });
      const page = rows.slice(0, limit);
      return c.json({ object: 'list' as const, data: page.map((row) => presentBatch(row, originOf(c))), has_more: rows.length > limit, last_id: page.at(-1)?.id ?? null }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/batches/{id}',
      summary: 'One batch: status, counts and cost so far',
      middleware: [apiKeyFormat()] as const,
      request: { params: batchIdParams },
      responses: { 200: { description: 'The batch', content: batchJson }, 404: error('No such batch'), ...accountErrors },
    }),
    async (c) => {
      const { batch } = await visibleBatch(c, c.req.valid('param').id);
      return c.json(presentBatch(batch, originOf(c)), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/batches/{id}/results',
      summary: 'The result lines so far, in item order (JSON Lines)',
      description:
        'One line per finished item: `{ id, index, status: "succeeded", result }` (the task\'s response, with its own `usage.cost_usd`) or `{ id, index, status: "failed", error }` (the one error shape). ' +
        'Readable while the batch runs: items finish in order, so `?after=<last index read>` resumes. `x-batch-results-complete: true` says the batch had ended and this is every line to the end; ' +
        'a cancelled batch ends with a `cancelled` line for each item that did not run.',
      middleware: [apiKeyFormat()] as const,
      request: { params: batchIdParams, query: resultsQuery },
      responses: {
        200: {
          description: 'JSON Lines',
          headers: {
            'x-batch-status': { description: "The batch's status when the read began", schema: { type: 'string' as const } },
            'x-batch-results-complete': { description: '`true`: the batch had ended, and this holds every line to the end', schema: { type: 'string' as const } },
          },
          content: { 'application/x-ndjson': { schema: z.string() } },
        },
        404: error('No such batch'),
        ...accountErrors,
      },
    }),
    async (c) => {
      const { batch } = await visibleBatch(c, c.req.valid('param').id);
      const ended = batch.status === 'completed' || batch.status === 'cancelled';
      c.header('content-type', 'application/x-ndjson; charset=utf-8');
      c.header('x-batch-status', batch.status);
      c.header('x-batch-results-complete', String(ended));
      return c.body(resultsStream(c.env.DB, batch, c.req.valid('query').after), 200) as never;
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/batches/{id}/cancel',
      summary: 'Cancel a batch: no further chunk starts; the one running finishes',
      description: 'Takes no body (none, or `{}`): a field sent is 400 `unknown_field`.',
      middleware: [apiKeyFormat(), noBody('POST /v1/batches/{id}/cancel')] as const,
      request: { params: batchIdParams },
      responses: {
        200: { description: '`cancelled`, or `cancelling` until the chunk in flight has finished', content: batchJson },
        404: error('No such batch'),
        409: error('The batch has already completed'),
        ...accountErrors,
      },
    }),
    async (c) => {
      const { key, batch } = await visibleBatch(c, c.req.valid('param').id);
      const changed = await cancelBatch(c.env.DB, key.tenantId, batch.id, new Date().toISOString());
      // A queued batch is cancelled at once: its end is announced here; a running one's by the consumer.
      await announceEnded(c.env, changed);
      const cancelled = changed ?? (await getBatch(c.env.DB, key.tenantId, batch.id));
      if (!cancelled) throw notFound();
      if (cancelled.status === 'completed') throw new ApiError(409, 'batch_completed', 'The batch has already completed; there is nothing left to cancel', { param: 'id' });
      return c.json(presentBatch(cancelled, originOf(c)), 200);
    },
  );
}
