import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { admitAccountRequest } from '../admission/admit';
import { apiKeyFormat } from '../http/api-key-format';
import { errorResponse as error } from '../http/error-responses';
import { noBody } from '../http/no-body';
import { getDelivery, listAttempts, listDeliveries, restartSeries } from '../storage/webhook-deliveries';
import { getHook } from '../storage/webhooks';
import { sendDeliveryAttempt } from './deliver';
import { presentDelivery, presentDeliveryDetail } from './present';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

const accountErrors = {
  401: error('Missing, unknown or revoked API key'),
  403: error('Not a secret key with every scope (deliveries hold what the webhook was sent)'),
  404: error('No such webhook or delivery'),
  429: error('Rate limit exceeded; see `Retry-After`'),
};

const deliverySchema = z
  .object({
    id: z.string().openapi({ description: 'Sent as the webhook-id header' }),
    object: z.literal('webhook.delivery'),
    hook_id: z.string(),
    type: z.string().openapi({ description: '`webhook.result`, or a tenant event type such as `budget.soft_limit`' }),
    status: z.enum(['pending', 'delivered', 'dead']),
    attempts: z.number().int().openapi({ description: 'Attempts made, over every replay' }),
    last_status: z.number().int().nullable().openapi({ description: "The destination's last HTTP status; null for a timeout or network error" }),
    last_error: z.string().nullable(),
    created_at: z.string(),
    delivered_at: z.string().nullable(),
    next_attempt_at: z.string().nullable().openapi({ description: 'When pending: the next attempt, at the latest' }),
    job_id: z.string().nullable(),
    source_delivery_id: z.string().nullable().openapi({ description: "The inbound delivery's id (webhook-id, X-GitHub-Delivery, Stripe event id, or sha256:<body hash>)" }),
    notification_id: z.string().nullable(),
    body_pruned_at: z.string().nullable().openapi({ description: 'Set once the body is past retention; such a delivery cannot be replayed' }),
  })
  .openapi('WebhookDelivery');

const deliveryDetailSchema = deliverySchema
  .extend({
    payload: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'The body sent; null once past retention' }),
    attempt_log: z.array(z.object({ attempt: z.number().int(), series: z.number().int(), at: z.string(), status: z.number().int().nullable(), error: z.string().nullable(), duration_ms: z.number() })),
  })
  .openapi('WebhookDeliveryDetail');

const hookParams = z.object({ id: z.string().max(64).openapi({ param: { name: 'id', in: 'path' } }) });
const deliveryParams = hookParams.extend({ delivery: z.string().max(64).openapi({ param: { name: 'delivery', in: 'path' } }) });

type Cursor = { createdAt: string; id: string };
const encodeCursor = (row: { created_at: string; id: string }) => btoa(JSON.stringify([row.created_at, row.id])).replace(/=+$/, '');

function decodeCursor(cursor: string): Cursor | null {
  try {
    const [createdAt, id] = JSON.parse(atob(cursor)) as unknown[];
    return typeof createdAt === 'string' && typeof id === 'string' ? { createdAt, id } : null;
  } catch {
    return null;
  }
}

const listQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE).openapi({ description: `1–${MAX_PAGE_SIZE}, default ${DEFAULT_PAGE_SIZE}` }),
    status: z.enum(['pending', 'delivered', 'dead']).optional().openapi({ description: 'Only deliveries in this state: `dead` is the dead-letter list to replay' }),
    cursor: z
      .string()
      .max(500)
      .refine((value) => decodeCursor(value) !== null, 'is not a cursor from a previous page')
      .optional()
      .openapi({ description: '`next_cursor` of the previous page' }),
  })
  .strict();

export function registerDeliveryRoutes(app: OpenAPIHono<AppEnv>): void {
  const common = { tags: ['webhooks'], security: [{ apiKey: [] }] };

  app.openapi(
    createRoute({
      ...common,
      middleware: [apiKeyFormat()] as const,
      method: 'get',
      path: '/v1/webhooks/{id}/deliveries',
      summary: "A webhook's outbound deliveries, newest first",
      request: { params: hookParams, query: listQuery },
      responses: {
        200: {
          description: 'One page',
          content: { 'application/json': { schema: z.object({ object: z.literal('list'), data: z.array(deliverySchema), has_more: z.boolean(), next_cursor: z.string().nullable() }) } },
        },
        400: error('Invalid `limit` or `cursor`'),
        ...accountErrors,
      },
    }),
    async (c) => {
      const { limit, cursor, status } = c.req.valid('query');
      const { key } = await admitAccountRequest(c, '*');
      const hook = await getHook(c.env.DB, key.tenantId, c.req.valid('param').id);
      if (!hook) throw new ApiError(404, 'webhook_not_found', 'No such webhook', { param: 'id' });
      const after = cursor ? decodeCursor(cursor)! : undefined;
      const rows = await listDeliveries(c.env.DB, { tenantId: key.tenantId, hookId: hook.id, limit: limit + 1, ...(status ? { status } : {}), ...(after ? { after } : {}) });
      const page = rows.slice(0, limit);
      const hasMore = rows.length > limit;
      return c.json({ object: 'list' as const, data: page.map(presentDelivery), has_more: hasMore, next_cursor: hasMore ? encodeCursor(page.at(-1)!) : null }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      middleware: [apiKeyFormat()] as const,
      method: 'get',
      path: '/v1/webhooks/{id}/deliveries/{delivery}',
      summary: 'One delivery, with its body (within retention) and every attempt',
      request: { params: deliveryParams },
      responses: { 200: { description: 'The delivery', content: { 'application/json': { schema: deliveryDetailSchema } } }, ...accountErrors },
    }),
    async (c) => {
      const { id, delivery } = c.req.valid('param');
      const { key } = await admitAccountRequest(c, '*');
      const row = await getDelivery(c.env.DB, key.tenantId, id, delivery);
      if (!row) throw new ApiError(404, 'delivery_not_found', 'No such delivery of this webhook', { param: 'delivery' });
      return c.json(presentDeliveryDetail(row, await listAttempts(c.env.DB, row.id)), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      middleware: [apiKeyFormat(), noBody('POST /v1/webhooks/{id}/deliveries/{delivery}/replay')] as const,
      method: 'post',
      path: '/v1/webhooks/{id}/deliveries/{delivery}/replay',
      summary: 'Send a delivery again: a new series of attempts with the full retry schedule',
      description: 'The same body and webhook-id (receivers that already processed it can tell), freshly signed. Bodies past retention cannot be replayed (410). Takes no body (none, or `{}`): a field sent is 400 `unknown_field`.',
      request: { params: deliveryParams },
      responses: {
        202: { description: 'Queued', content: { 'application/json': { schema: deliverySchema } } },
        410: error('The body is past retention'),
        ...accountErrors,
      },
    }),
    async (c) => {
      const { id, delivery } = c.req.valid('param');
      const { key } = await admitAccountRequest(c, '*');
      const restarted = await restartSeries(c.env.DB, key.tenantId, id, delivery, new Date().toISOString());
      if (!restarted) {
        const row = await getDelivery(c.env.DB, key.tenantId, id, delivery);
        if (!row) throw new ApiError(404, 'delivery_not_found', 'No such delivery of this webhook', { param: 'delivery' });
        throw new ApiError(410, 'payload_expired', `The delivery body was pruned at ${row.body_pruned_at} (past retention) and cannot be sent again`);
      }
      await sendDeliveryAttempt(c.env, restarted);
      return c.json(presentDelivery(restarted), 202);
    },
  );
}
