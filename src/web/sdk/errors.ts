/**
 * Every failure the SDK reports: an API error (its status and the one error shape's fields), or a
 * network failure (`status` 0, `code` "network_error").
 */
export class MinnowError extends Error {
  readonly status: number;
  readonly code: string;
  readonly type: string;
  readonly param: string | undefined;
  readonly requestId: string | undefined;
  /** Seconds the server asked to wait (429, 402, 503), when it said. */
  readonly retryAfter: number | undefined;

  constructor(status: number, body: { type?: string; code?: string; message?: string; param?: string; request_id?: string }, retryAfter?: number) {
    super(body.message ?? `Request failed with status ${status}`);
    this.name = 'MinnowError';
    this.status = status;
    this.code = body.code ?? 'unknown_error';
    this.type = body.type ?? 'api_error';
    this.param = body.param;
    this.requestId = body.request_id;
    this.retryAfter = retryAfter;
  }
}
