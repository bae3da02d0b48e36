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

const error = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } });

/** Error responses every task route can give, documented once. */
export const taskErrorResponses = {
  400: error('Invalid input; `param` names the field'),
  401: error('Missing, unknown or revoked API key'),
  402: error('Daily budget exhausted; `Retry-After` says when it resets'),
  403: error('Key not allowed for this task or origin'),
  413: error('Body larger than the limit'),
  415: error('Body is not JSON, or is compressed (Content-Encoding)'),
  429: error('Rate limit exceeded; see `Retry-After`'),
  502: error('Upstream model failed'),
  503: error('Upstream model unavailable or over capacity'),
  504: error('Upstream model timed out'),
} as const;

export const adminErrorResponses = {
  400: error('Invalid input; `param` names the field'),
  401: error('Missing or wrong admin token'),
  403: error('Admin API disabled (no ADMIN_TOKEN)'),
  404: error('No such tenant or key'),
  429: error('Too many wrong admin tokens from this address; see `Retry-After`'),
} as const;
