import { z } from '@hono/zod-openapi';

export const errorSchema = z
  .object({
    error: z.object({
      type: z.string().openapi({ example: 'invalid_request_error' }),
      code: z.string().openapi({ example: 'invalid_field' }),
      message: z.string(),
      param: z.string().optional().openapi({ description: 'The request field that was wrong', example: 'text' }),
      request_id: z.string(),
    }),
  })
  .openapi('Error');

/** A JSON response of `schema`, for a route's OpenAPI `responses`. */
export const jsonResponse = <T extends z.ZodType>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });

/** An error response in the one error shape, for a route's OpenAPI `responses`. */
export const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } });

/** Error responses every task route can give, documented once. */
export const taskErrorResponses = {
  400: errorResponse('Invalid input; `param` names the field'),
  401: errorResponse('Missing, unknown or revoked API key'),
  402: errorResponse('Daily budget exhausted; `Retry-After` says when it resets'),
  403: errorResponse('Key not allowed for this task or origin'),
  413: errorResponse('Body larger than the limit'),
  415: errorResponse('Body is not JSON, or is compressed (Content-Encoding)'),
  429: errorResponse('Rate limit exceeded; see `Retry-After`'),
  502: errorResponse('Upstream model failed'),
  503: errorResponse('Upstream model unavailable or over capacity'),
  504: errorResponse('Upstream model timed out'),
} as const;

export const adminErrorResponses = {
  400: errorResponse('Invalid input; `param` names the field'),
  401: errorResponse('Missing or wrong admin token'),
  403: errorResponse('Admin API disabled (no ADMIN_TOKEN)'),
  404: errorResponse('No such tenant or key'),
  429: errorResponse('Too many wrong admin tokens from this address; see `Retry-After`'),
} as const;
