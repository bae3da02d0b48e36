import type { z } from '@hono/zod-openapi';
import { ApiError } from './errors';

/**
 * The one way a `param` names a field inside the body: keys and array indexes joined by dots
 * (`text.3`, `items.3.input.text`, `messages.2.tool_call_id`), as docs/api.md documents it and as
 * zod's paths are. Every error that names a nested field builds its `param` here.
 */
export const fieldPath = (...parts: PropertyKey[]): string => parts.map(String).filter((part) => part !== '').join('.');

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** What zod says of a size or range, and of a query number that was not one, in the API's words; a schema's own message as it is. */
function plainMessage(issue: z.ZodError['issues'][number]): string {
  const { message } = issue;
  const limit = (issue as { minimum?: unknown; maximum?: unknown }).minimum ?? (issue as { maximum?: unknown }).maximum;
  const origin = (issue as { origin?: string }).origin;
  const inclusive = (issue as { inclusive?: boolean }).inclusive !== false;
  const bound = typeof limit === 'number' || typeof limit === 'bigint' ? String(limit) : undefined;
  if (bound !== undefined && (issue.code === 'too_small' || issue.code === 'too_big') && /^Too (small|big):/.test(message)) {
    const side = issue.code === 'too_small' ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
    if (origin === 'string') return `must be ${side} ${bound} characters`;
    if (origin === 'array' || origin === 'set') return `must hold ${side} ${bound} items`;
    return `must be ${side} ${bound}`;
  }
  if (issue.code === 'invalid_type' && /received NaN/.test(message)) return 'must be a number';
  return message;
}

/**
 * The first zod issue as a 400 naming the offending field (`text.3`, or the unknown key).
 * `input` is what the caller sent, to tell a missing field from a wrong one.
 */
export function validationError(error: z.ZodError, input?: unknown): ApiError {
  const issue = error.issues[0];
  if (!issue) return new ApiError(400, 'invalid_request', 'The request is invalid');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const param = fieldPath(...issue.path, key);
    return new ApiError(400, 'unknown_field', `Unknown field "${param}"`, { param });
  }
  const param = fieldPath(...issue.path);
  if (issue.path.length > 0 && valueAt(input, issue.path) === undefined) {
    // A schema's own check at an absent field also says what it wants ("give tasks, events, or both").
    const wanted = issue.code === 'custom' ? `: ${issue.message}` : '';
    return new ApiError(400, 'missing_field', `Missing required field "${param}"${wanted}`, { param });
  }
  if (issue.code === 'invalid_union') {
    // zod reports a union as a whole; the more specific branch error explains it better.
    const branches = issue.errors.flat();
    // Prefer what a branch said about the content (a nested field, a limit) over "expected string".
    const nested = branches.find((candidate) => candidate.path.length > 0) ?? branches.find((candidate) => candidate.code !== 'invalid_type') ?? branches[0];
    const detail = nested ? plainMessage(nested) : plainMessage(issue);
    const nestedPath = nested && nested.path.length > 0 ? fieldPath(...issue.path, ...nested.path) : param;
    return new ApiError(400, 'invalid_field', `Invalid "${nestedPath || param}": ${detail}`, { param: nestedPath || param });
  }
  return new ApiError(400, 'invalid_field', `Invalid "${param || 'body'}": ${plainMessage(issue)}`, param ? { param } : {});
}
