import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { admitTask } from '../admission/admit';
import type { AppEnv } from '../contracts/env';
import { apiKeyFormat } from '../http/api-key-format';
import { taskErrorResponses } from '../http/error-responses';
import { jsonBody } from '../http/json-body';
import { runTask, type TaskOutcome } from '../pipeline/run-task';
import { TASKS } from '../tasks/registry';
import type { PublicTask } from '../tasks/types';

const responseHeaders = {
  'x-request-id': { schema: { type: 'string' as const } },
  'x-cache': { description: 'HIT, MISS, PARTIAL (some batch items cached) or COALESCED (answered by a concurrent identical request)', schema: { type: 'string' as const } },
  'RateLimit-Limit': { schema: { type: 'integer' as const } },
  'RateLimit-Remaining': { schema: { type: 'integer' as const } },
  'RateLimit-Reset': { description: 'Seconds until the bucket is full again', schema: { type: 'integer' as const } },
};

/** The envelope plus what the headers also say, so a client can read either. */
export function respondWithOutcome(c: Context<AppEnv>, outcome: TaskOutcome<unknown>) {
  setOutcomeHeaders(c, outcome);
  if (outcome.envelope.cascade) c.header('x-cascade-step', outcome.envelope.cascade.answered.map((step) => step.provider).join(','));
  return c.json(outcome.envelope, 200);
}

/** What every task answer says in its headers, whatever shape its body has (native or OpenAI's). */
export function setOutcomeHeaders(c: Context<AppEnv>, outcome: TaskOutcome<unknown>): void {
  c.header('x-cache', outcome.cacheStatus);
  c.header('x-minnow-provider', outcome.envelope.provider);
  c.header('x-minnow-model', outcome.envelope.model);
  c.header('x-minnow-cost-usd', String(outcome.envelope.usage.cost_usd));
}

/** `POST /v1/<task>`: validate → admit → run the pipeline → envelope. Same for every task. */
function registerTaskRoute(app: OpenAPIHono<AppEnv>, task: PublicTask): void {
  const route = createRoute({
    method: 'post',
    path: `/v1/${task.name}`,
    tags: ['tasks'],
    summary: task.api.summary,
    description: task.api.description,
    security: [{ apiKey: [] }],
    // Route-level, so an unknown path is a 404 and these run before the body is validated.
    middleware: [apiKeyFormat(), jsonBody()] as const,
    request: { body: { required: true, content: { 'application/json': { schema: task.api.request } } } },
    responses: {
      200: { description: 'One result per input, in input order', headers: responseHeaders, content: { 'application/json': { schema: task.api.response } } },
      ...taskErrorResponses,
    },
  });
  app.openapi(route, async (c) => {
    const input = c.req.valid('json');
    const context = await admitTask(c, task, input);
    const outcome = await runTask(context, task, input);
    if (task.api.presentResults) outcome.envelope.results = task.api.presentResults(outcome.envelope.results);
    // The envelope is built to the schema by runTask; the cast only bridges zod-openapi's generics.
    return respondWithOutcome(c, outcome) as never;
  });
}

/** Every task in the registry, each at `POST /v1/<name>`. */
export function registerTaskRoutes(app: OpenAPIHono<AppEnv>): void {
  for (const task of Object.values(TASKS)) registerTaskRoute(app, task);
}
