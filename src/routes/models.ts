import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { apiKeyFormat } from '../http/api-key-format';
import { taskErrorResponses } from '../http/error-responses';
import { providerStatus } from '../providers/status';
import { findKey } from '../storage/api-keys';
import { catalogModels } from '../tasks/registry';
import { chatModels } from '../tasks/chat/models';

const modelSchema = z
  .object({
    id: z.string(),
    object: z.literal('model'),
    created: z.number().int(),
    owned_by: z.string(),
    tasks: z.array(z.string()).openapi({ description: 'Tasks this model serves (an embedding model serves several)' }),
    provider: z.enum(['workers-ai', 'huggingface', 'local']),
    available: z.boolean().openapi({ description: 'Whether this deployment has the provider configured' }),
    description: z.string(),
    labels: z.array(z.string()).optional(),
    dimensions: z.number().int().optional(),
    max_input_tokens: z.number().int().optional(),
    max_items: z.number().int().optional(),
    price: z.object({
      unit: z.string(),
      usd_per_million: z.number(),
      neurons_per_million: z.number().optional(),
      source: z.enum(['published', 'estimate', 'free']),
    }),
  })
  .openapi('Model');

const OWNER = { 'workers-ai': 'cloudflare', huggingface: 'huggingface', local: 'minnow' } as const;

export function registerModels(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/models',
      tags: ['tasks'],
      summary: 'The model catalog: every model of every task, with its provider and price',
      description: 'OpenAI-list-shaped (`{object: "list", data}`) with minnow\'s extra fields, so OpenAI clients can list it.',
      security: [{ apiKey: [] }],
      middleware: [apiKeyFormat()] as const,
      responses: {
        200: { description: 'The catalog', content: { 'application/json': { schema: z.object({ object: z.literal('list'), data: z.array(modelSchema) }) } } },
        401: taskErrorResponses[401],
      },
    }),
    async (c) => {
      if (!(await findKey(c.env, c.get('presentedKey')))) throw new ApiError(401, 'invalid_api_key', 'The API key is not valid');
      // One entry per model id: OpenAI clients key models by id; a model serving several tasks lists them all.
      const byId = new Map<string, z.infer<typeof modelSchema>>();
      // Chat models are not a registered task (chat has its own routes) but are in the catalog all the same.
      for (const { task, ...model } of [...catalogModels(), ...chatModels]) {
        const seen = byId.get(model.id);
        if (seen) {
          if (!seen.tasks.includes(task)) seen.tasks.push(task);
          continue;
        }
        byId.set(model.id, { ...model, tasks: [task], object: 'model', created: 0, owned_by: OWNER[model.provider], available: providerStatus(c.env, model.provider).active });
      }
      const data = [...byId.values()];
      return c.json({ object: 'list' as const, data }, 200);
    },
  );
}
