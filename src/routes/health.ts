import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env';
import { allProviderStatuses } from '../providers/status';
import { TASK_NAMES } from '../tasks/registry';

const healthSchema = z
  .object({
    status: z.literal('ok'),
    environment: z.string(),
    providers: z.array(z.object({ id: z.string(), active: z.boolean(), detail: z.string() })),
    tasks: z.array(z.string()),
  })
  .openapi('Health');

export function registerHealth(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      tags: ['meta'],
      summary: 'Liveness, and which providers are active here',
      responses: { 200: { description: 'OK', content: { 'application/json': { schema: healthSchema } } } },
    }),
    (c) =>
      c.json(
        { status: 'ok' as const, environment: c.env.ENVIRONMENT ?? 'production', providers: allProviderStatuses(c.env), tasks: [...TASK_NAMES] },
        200,
      ),
  );
}
