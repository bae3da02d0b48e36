import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../contracts/env';
import { circuitSettings, circuitSnapshots } from '../providers/circuit-breaker';
import { allProviderStatuses } from '../providers/status';
import { TASK_NAMES } from '../contracts/task-names';

const circuitSchema = z
  .object({
    provider: z.string(),
    model: z.string(),
    state: z.enum(['closed', 'open', 'half_open']).openapi({ description: 'open: skipped until retry_at; half_open: the next call is a probe' }),
    failures: z.number().int().openapi({ description: 'upstream faults since the last success' }),
    opened_at: z.string().nullable(),
    retry_at: z.string().nullable().openapi({ description: 'when an open circuit lets one probe call through' }),
  })
  .openapi('Circuit');

const healthSchema = z
  .object({
    status: z.literal('ok'),
    environment: z.string(),
    providers: z.array(z.object({ id: z.string(), active: z.boolean(), detail: z.string() })),
    circuit_breaker: z
      .object({
        scope: z.literal('isolate').openapi({ description: 'each Worker isolate keeps its own circuits; this is the one that answered' }),
        failure_threshold: z.number().int(),
        cooldown_ms: z.number(),
        circuits: z.array(circuitSchema).openapi({ description: 'every provider/model this isolate has called (the local tier and tenant endpoints have none)' }),
      })
      .openapi('CircuitBreaker'),
    tasks: z.array(z.string()),
  })
  .openapi('Health');

export function registerHealth(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/healthz',
      tags: ['meta'],
      summary: 'Liveness, which providers are active here, and their circuit breakers',
      responses: { 200: { description: 'OK', content: { 'application/json': { schema: healthSchema } } } },
    }),
    (c) => {
      const { threshold, cooldownMs } = circuitSettings(c.env);
      return c.json(
        {
          status: 'ok' as const,
          environment: c.env.ENVIRONMENT ?? 'production',
          providers: allProviderStatuses(c.env),
          circuit_breaker: { scope: 'isolate' as const, failure_threshold: threshold, cooldown_ms: cooldownMs, circuits: circuitSnapshots() },
          tasks: [...TASK_NAMES],
        },
        200,
      );
    },
  );
}
