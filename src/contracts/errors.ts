import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The `type` field of the error shape: the broad class a client can branch on. */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'budget_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'upstream_error'
  | 'api_error';

const TYPE_BY_STATUS: Record<number, ErrorType> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'budget_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
  502: 'upstream_error',
  503: 'upstream_error',
  504: 'upstream_error',
};

export interface ApiErrorOptions {
  /** The request field that was wrong, as a dotted path (`text.3`). */
  param?: string;
  /** Extra response headers, e.g. `Retry-After`. */
  headers?: Record<string, string>;
}

/**
 * The one error type. Handlers and middleware throw it; `renderError` turns it into
 * `{ error: { type, code, message, param?, request_id } }`. `code` is stable and documented.
 */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly type: ErrorType;
  readonly param: string | undefined;
  readonly headers: Record<string, string>;

  constructor(status: ContentfulStatusCode, code: string, message: string, options: ApiErrorOptions = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.type = TYPE_BY_STATUS[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
    this.param = options.param;
    this.headers = options.headers ?? {};
  }
}

export interface ErrorBody {
  error: { type: ErrorType; code: string; message: string; param?: string; request_id: string };
}

/** Longest message and param sent back: enough to explain, too short to echo a caller's megabyte. */
export const MAX_MESSAGE_CHARS = 1_000;
export const MAX_PARAM_CHARS = 200;

/** Messages quote what the caller sent (an Origin, a path, an unknown field's name); quotes stay bounded. */
const bounded = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function errorBody(error: ApiError, requestId: string): ErrorBody {
  return {
    error: {
      type: error.type,
      code: error.code,
      message: bounded(error.message, MAX_MESSAGE_CHARS),
      ...(error.param === undefined ? {} : { param: bounded(error.param, MAX_PARAM_CHARS) }),
      request_id: requestId,
    },
  };
}
