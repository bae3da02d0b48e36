import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ApiError, errorBody } from '../contracts/errors';
import type { TaskEnvelope } from '../pipeline/run-task';

/** Longest text rendering of a result: an agent reads the text; the whole answer is in structured content. */
const MAX_TEXT_CHARS = 4_000;

const bounded = (text: string) => (text.length > MAX_TEXT_CHARS ? `${text.slice(0, MAX_TEXT_CHARS - 1)}… (cut; the whole answer is in structuredContent)` : text);

/** A task's answer: the HTTP route's envelope as structured content, and a short text rendering of it. */
export function envelopeResult(envelope: TaskEnvelope<unknown>, cacheStatus: string): CallToolResult {
  const summary = `${envelope.task} by ${envelope.provider}/${envelope.model}; cache ${cacheStatus}; cost $${envelope.usage.cost_usd}; request ${envelope.id}`;
  return {
    structuredContent: envelope as unknown as Record<string, unknown>,
    content: [{ type: 'text', text: bounded(`${JSON.stringify(envelope.results)}\n${summary}`) }],
  };
}

/** Any other tool's answer (kb_search, ask_bot): structured content and the same JSON as text. */
export function structuredResult(value: Record<string, unknown>, text: string): CallToolResult {
  return { structuredContent: value, content: [{ type: 'text', text: bounded(text) }] };
}

/**
 * A refusal or failure as a tool error (never a transport failure): the one error shape
 * `{ error: { type, code, message, param?, request_id, retry_after? } }` as the text an agent reads
 * (JSON, so a program can parse it too). Not in structuredContent: a client checks structured
 * content against the tool's output schema, which describes the answer, not the error.
 * `retry_after` (seconds) comes with 429, 402 and retryable 503s, as `Retry-After` does over HTTP.
 */
export function errorResult(error: unknown, requestId: string): CallToolResult {
  const apiError = error instanceof ApiError ? error : internalError(error, requestId);
  const body = errorBody(apiError, requestId);
  const retryAfter = Number(apiError.headers['Retry-After']);
  const shaped = { error: { ...body.error, status: apiError.status, ...(Number.isFinite(retryAfter) && apiError.headers['Retry-After'] !== undefined ? { retry_after: retryAfter } : {}) } };
  return { isError: true, content: [{ type: 'text', text: JSON.stringify(shaped) }] };
}

function internalError(error: unknown, requestId: string): ApiError {
  // Unexpected: logged for the operator with the request id; the caller learns nothing internal.
  console.error(JSON.stringify({ level: 'error', request_id: requestId, door: 'mcp', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }));
  return new ApiError(500, 'internal_error', 'Something went wrong on our side; quote the request id if you contact us');
}
