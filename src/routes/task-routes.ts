import { createRoute, type OpenAPIHono, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../contracts/env';
import { admitTask } from '../admission/admit';
import { apiKeyFormat } from '../http/api-key-format';
import { jsonBody } from '../http/json-body';
import { taskErrorResponses } from '../http/error-responses';
import { runTask, type TaskOutcome } from '../pipeline/run-task';
import type { AnyTask } from '../tasks/types';

export interface TaskRouteOptions {
  task: AnyTask;
  summary: string;
  description: string;
  request: z.ZodTypeAny;
  response: z.ZodTypeAny;
  /**
   * For single-item tasks whose answer is itself a list (rerank's ranking): turns the pipeline's
   * one-result-per-item array into the envelope's `results`. Default: unchanged.
   */
  presentResults?: (results: unknown[]) => unknown[];
}

const responseHeaders = {
  'x-request-id': { schema: { type: 'string' as const } },
  'x-cache': { description: 'HIT, MISS, PARTIAL (some batch items cached) or COALESCED (answered by a concurrent identical request)', schema: { type: 'string' as const } },
  'RateLimit-Limit': { schema: { type: 'integer' as const } },
  'RateLimit-Remaining': { schema: { type: 'integer' as const } },
  'RateLimit-Reset': { description: 'Seconds until the bucket is full again', schema: { type: 'integer' as const } },
};

/** The envelope plus what the headers also say, so a client can read either. */
export function respondWithOutcome(c: Context<AppEnv>, outcome: TaskOutcome<unknown>) {
  c.header('x-cache', outcome.cacheStatus);
  c.header('x-minnow-provider', outcome.envelope.provider);
  c.header('x-minnow-model', outcome.envelope.model);
  c.header('x-minnow-cost-usd', String(outcome.envelope.usage.cost_usd));
  if (outcome.envelope.cascade) c.header('x-cascade-step', outcome.envelope.cascade.answered.map((step) => step.provider).join(','));
  return c.json(outcome.envelope, 200);
}

/** `POST /v1/<task>`: validate → admit → run the pipeline → envelope. Same for every task. */
export function registerTaskRoute(app: OpenAPIHono<AppEnv>, options: TaskRouteOptions): void {
  const route = createRoute({
    method: 'post',
    path: `/v1/${options.task.name}`,
    tags: ['tasks'],
    summary: options.summary,
    description: options.description,
    security: [{ apiKey: [] }],
    // Route-level, so an unknown path is a 404 and these run before the body is validated.
    middleware: [apiKeyFormat(), jsonBody()] as const,
    request: { body: { required: true, content: { 'application/json': { schema: options.request } } } },
    responses: {
      200: { description: 'One result per input, in input order', headers: responseHeaders, content: { 'application/json': { schema: options.response } } },
      ...taskErrorResponses,
    },
  });
  app.openapi(route, async (c) => {
    const input = c.req.valid('json');
    const context = await admitTask(c, options.task, input);
    const outcome = await runTask(context, options.task, input);
    if (options.presentResults) outcome.envelope.results = options.presentResults(outcome.envelope.results);
    // The envelope is built to the schema by runTask; the cast only bridges zod-openapi's generics.
    return respondWithOutcome(c, outcome) as never;
  });
}
