import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../contracts/env';
import { ApiError, errorBody } from '../contracts/errors';

function toApiError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 400) return new ApiError(400, 'invalid_json', 'The body is not valid JSON');
    if (error.status === 413) return new ApiError(413, 'body_too_large', error.message);
    if (error.status === 415) return new ApiError(415, 'unsupported_media_type', 'Send a JSON body with "Content-Type: application/json"');
    return new ApiError(error.status as 400, 'http_error', error.message || 'Request failed');
  }
  return undefined;
}

/** The one error handler: every failure becomes the one error shape; unknown ones are logged and become a plain 500. */
export function renderError(error: unknown, c: Context<AppEnv>) {
  const requestIdValue = c.get('requestId') ?? 'unknown';
  const apiError = toApiError(error);
  if (!apiError) {
    // Unexpected: log with the request id for the operator, tell the caller nothing internal.
    console.error(JSON.stringify({ level: 'error', request_id: requestIdValue, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }));
    return c.json(errorBody(new ApiError(500, 'internal_error', 'Something went wrong on our side; quote the request id if you contact us'), requestIdValue), 500);
  }
  for (const [name, value] of Object.entries(apiError.headers)) c.header(name, value);
  return c.json(errorBody(apiError, requestIdValue), apiError.status);
}
