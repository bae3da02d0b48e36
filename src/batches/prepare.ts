import type { z } from '@hono/zod-openapi';
import { ApiError } from '../contracts/errors';
import { TASK_NAMES, type TaskName } from '../contracts/task-names';
import { fieldPath, validationError } from '../contracts/validation';
import { DEFAULT_MAX_BODY_BYTES } from '../http/json-body';
import type { ChunkRow } from '../storage/batches';
import { TASKS } from '../tasks/registry';
import { MAX_BATCH_ITEMS as MAX_TEXTS_PER_REQUEST } from '../tasks/text-input';
import { MAX_BATCH_ITEMS, type createBatchSchema } from './schema';

/**
 * One chunk is one queue message's work: at most this many items, at most one full-size request's
 * texts (MAX_TEXTS_PER_REQUEST, what one HTTP call may already carry), and
 * at most this many bytes of inputs — so each message stays within a Worker's CPU, memory and
 * subrequest limits whatever the items hold.
 */
export const CHUNK_MAX_ITEMS = 50;
export const CHUNK_MAX_BYTES = 1024 * 1024;
/** One item is at most what the task's own route accepts in a body. */
export const MAX_ITEM_BYTES = DEFAULT_MAX_BODY_BYTES;

type CreateBatch = z.infer<typeof createBatchSchema>;

export interface PreparedBatch {
  task: TaskName;
  total: number;
  chunks: ChunkRow[];
}

const byteLength = (text: string) => new TextEncoder().encode(text).byteLength;

export function batchTask(name: string): TaskName {
  if ((TASK_NAMES as readonly string[]).includes(name)) return name as TaskName;
  throw new ApiError(400, 'unknown_task', `Unknown task "${name}"; batches run one of: ${TASK_NAMES.join(', ')}`, { param: 'task' });
}

/** The items as `{ id, input }`, whichever form was sent, with the path each input was sent at. */
function itemsOf(body: CreateBatch): { id: string | null; input: Record<string, unknown>; at: string }[] {
  if (body.items && body.inputs) throw new ApiError(400, 'invalid_field', 'Give "items" or "inputs", not both', { param: 'inputs' });
  if (body.items) return body.items.map((item, index) => ({ id: item.id ?? null, input: item.input, at: fieldPath('items', index, 'input') }));
  if (body.inputs) return body.inputs.map((input, index) => ({ id: null, input, at: fieldPath('inputs', index) }));
  throw new ApiError(400, 'missing_field', 'Missing required field "items" (or "inputs")', { param: 'items' });
}

/** The item's request with the shared options, refusing an item that sets one of them again. */
function merged(options: Record<string, unknown>, input: Record<string, unknown>, at: string): Record<string, unknown> {
  for (const field of Object.keys(input)) {
    if (Object.hasOwn(options, field)) throw new ApiError(400, 'conflicting_field', `"${fieldPath(at, field)}" is also set in options; set it in one place`, { param: fieldPath(at, field) });
  }
  return { ...options, ...input };
}

/** Where the caller sent a field of an item's request: in the item (at `at`), or in the shared `options`. */
function sentAt(options: Record<string, unknown>, input: Record<string, unknown>, at: string, field: string): string {
  if (field === '') return at;
  const top = field.split('.')[0]!;
  // A field that came from `options` is wrong there, not in the item.
  return !Object.hasOwn(input, top) && Object.hasOwn(options, top) ? fieldPath('options', field) : fieldPath(at, field);
}

/** The task schema's complaint about one item, with `param` pointing at what the caller sent. */
function itemError(error: z.ZodError, request: Record<string, unknown>, options: Record<string, unknown>, input: Record<string, unknown>, at: string, index: number): ApiError {
  const plain = validationError(error, request);
  const param = sentAt(options, input, at, plain.param ?? '');
  const message = plain.message.replace(/^(Invalid|Missing required field|Unknown field) "[^"]*"/, (_whole, what: string) => `${what} "${param}"`);
  return new ApiError(400, plain.code, `Item ${index}: ${message}`, { param });
}

/**
 * An error about item `index`'s valid request (a classifier it names is unknown: `param` is the
 * request's field), pointing at where the caller sent that field, as validation errors do.
 */
export function errorAtItem(body: CreateBatch, index: number, error: ApiError): ApiError {
  const { input, at } = itemsOf(body)[index]!;
  const param = sentAt(body.options ?? {}, input, at, error.param ?? '');
  return new ApiError(error.status, error.code, `Item ${index}: ${error.message}`, { param, headers: error.headers });
}

/**
 * The first item's request, parsed by the task's schema, for admission to price before anything
 * is stored; undefined when it is not valid (prepareBatch then refuses the batch, naming it).
 */
export function firstRequestOf(body: CreateBatch): unknown {
  const first = body.items?.[0]?.input ?? body.inputs?.[0];
  const schema = TASKS[batchTask(body.task)].api?.request;
  if (!first || !schema) return undefined;
  const parsed = schema.safeParse({ ...(body.options ?? {}), ...first });
  return parsed.success ? parsed.data : undefined;
}

/**
 * Validates every item against the task's own request schema and splits them into chunks. Any
 * invalid item refuses the whole batch, naming the item and field (`items.3.input.text`): a
 * batch is either accepted whole or not at all.
 */
export function prepareBatch(body: CreateBatch): PreparedBatch {
  const task = batchTask(body.task);
  const items = itemsOf(body);
  const listed = body.items ? 'items' : 'inputs';
  if (items.length === 0) throw new ApiError(400, 'invalid_field', `"${listed}" must hold at least one item`, { param: listed });
  if (items.length > MAX_BATCH_ITEMS) throw new ApiError(400, 'too_many_items', `A batch holds at most ${MAX_BATCH_ITEMS} items; this one has ${items.length}. Split it into several batches`, { param: listed });
  const definition = TASKS[task];
  const options = body.options ?? {};
  const seenIds = new Map<string, number>();
  const chunks: ChunkRow[] = [];
  let current: ChunkRow | null = null;
  let currentBytes = 0;
  let currentTexts = 0;
  items.forEach(({ id, input, at }, index) => {
    if (id !== null) {
      const first = seenIds.get(id);
      if (first !== undefined) throw new ApiError(400, 'duplicate_id', `${fieldPath('items', index, 'id')} repeats the id of ${fieldPath('items', first)}; ids must be unique within a batch`, { param: fieldPath('items', index, 'id') });
      seenIds.set(id, index);
    }
    const request = merged(options, input, at);
    const parsed = definition.api.request.safeParse(request);
    if (!parsed.success) throw itemError(parsed.error, request, options, input, at, index);
    const bytes = byteLength(JSON.stringify(parsed.data));
    if (bytes > MAX_ITEM_BYTES) throw new ApiError(413, 'item_too_large', `Item ${index} is ${bytes} bytes; one item may be at most ${MAX_ITEM_BYTES} bytes, as a request to POST /v1/${task}`, { param: at });
    const texts = (definition.items(parsed.data) as unknown[]).length;
    if (!current || current.ids.length >= CHUNK_MAX_ITEMS || currentBytes + bytes > CHUNK_MAX_BYTES || currentTexts + texts > MAX_TEXTS_PER_REQUEST) {
      current = { seq: chunks.length, first_index: index, ids: [], inputs: [] };
      chunks.push(current);
      currentBytes = 0;
      currentTexts = 0;
    }
    current.ids.push(id);
    current.inputs!.push(parsed.data);
    currentBytes += bytes;
    currentTexts += texts;
  });
  return { task, total: items.length, chunks };
}
