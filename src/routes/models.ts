import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { apiKeyFormat } from '../http/api-key-format';
import { errorResponse, taskErrorResponses } from '../http/error-responses';
import { providerStatus } from '../providers/status';
import { findKey } from '../storage/api-keys';
import { findBot, type Bot } from '../storage/bots';
import { cachedModelAliases, type ModelAlias } from '../storage/model-aliases';
import { catalogModels } from '../tasks/registry';
import { agentFieldsOf, chatModels } from '../tasks/chat/models';
import { embedModel } from '../tasks/embed/models';

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
    supports: z
      .array(z.enum(['tools', 'response_format']))
      .optional()
      .openapi({ description: 'Chat models: the agent fields of POST /v1/chat/completions this model takes (function calling, JSON output)' }),
    price: z.object({
      unit: z.string(),
      usd_per_million: z.number(),
      neurons_per_million: z.number().optional(),
      source: z.enum(['published', 'estimate', 'free']),
    }),
  })
  .openapi('Model');

const aliasEntrySchema = modelSchema
  .omit({ provider: true, price: true })
  .extend({
    alias_of: z.string().openapi({ description: "What answers this name: a catalog model (its entry's fields are copied here) or one of the tenant's bots (`bot_…`)" }),
    provider: modelSchema.shape.provider.optional().openapi({ description: "The target model's provider; for a bot, its model's (absent when the bot names no model: its turns go to the tenant's chat provider order, said in `description`)" }),
    price: modelSchema.shape.price.optional().openapi({ description: "The target model's price; for a bot, its model's (absent when the bot names no model)" }),
  })
  .openapi('ModelAliasEntry', { description: "One of the tenant's model aliases (set with PUT /admin/tenants/:id/model-aliases/:alias)" });

type CatalogEntry = z.infer<typeof modelSchema>;

/**
 * An alias's entry: its target's fields under the alias's name. A bot answers with the model it
 * names, so its alias shows that model's provider and price; a bot naming none is answered by the
 * first model of the tenant's chat provider order that is up, which is no one provider or price —
 * the entry says so in its description (a turn's cost is in each answer's `minnow.cost_usd`).
 */
function aliasEntry(alias: ModelAlias, byId: Map<string, CatalogEntry>, bot: Bot | null): z.infer<typeof aliasEntrySchema> {
  const target = byId.get(alias.target);
  if (!target) {
    const writer = bot?.model ? byId.get(bot.model) : undefined;
    const entry = { id: alias.alias, object: 'model' as const, created: 0, alias_of: alias.target, tasks: ['chat'] };
    if (!bot) return { ...entry, owned_by: 'minnow', available: false, description: `Alias of bot ${alias.target}, which no longer exists: chat completions answer it 404` };
    if (!writer) {
      return { ...entry, owned_by: 'minnow', available: true, description: `Alias of bot ${alias.target}: its grounded, cited answers. The bot names no model, so each turn is written by the first model of the tenant's chat provider order that is up: no one provider or price (each answer's minnow.cost_usd is its cost)` };
    }
    const { provider, price, owned_by, available } = writer;
    return { ...entry, provider, price, owned_by, available, description: `Alias of bot ${alias.target}: its grounded, cited answers, written by ${writer.id} (its price; searching its knowledge bases adds an embedding per turn)` };
  }
  // The catalog entry is the first task's view of the model (bge-small's is classify's); an embedding alias shows the embedding model's limits.
  const embedding = alias.kind === 'embedding' ? embedModel(alias.target) : undefined;
  const limits = embedding ? Object.fromEntries(Object.entries({ dimensions: embedding.dimensions, max_input_tokens: embedding.max_input_tokens, max_items: embedding.max_items }).filter(([, value]) => value !== undefined)) : {};
  return { ...target, ...limits, id: alias.alias, alias_of: alias.target, tasks: embedding ? ['embed'] : ['chat'], description: `Alias of ${alias.target}: ${target.description}` };
}

const OWNER = { 'workers-ai': 'cloudflare', huggingface: 'huggingface', local: 'minnow' } as const;

/**
 * The entries `GET /v1/models` lists for a tenant: its aliases first, then the catalog. One entry per
 * model id: OpenAI clients key models by id; a model serving several tasks lists them all.
 */
async function modelEntries(env: AppEnv['Bindings'], tenantId: string) {
  const byId = new Map<string, CatalogEntry>();
  // Chat models are not a registered task (chat has its own routes) but are in the catalog all the same.
  for (const { task, ...model } of [...catalogModels(), ...chatModels]) {
    const seen = byId.get(model.id);
    if (seen) {
      if (!seen.tasks.includes(task)) seen.tasks.push(task);
      continue;
    }
    const supports = task === 'chat' ? agentFieldsOf(model.id) : [];
    byId.set(model.id, { ...model, ...(supports.length > 0 ? { supports } : {}), tasks: [task], object: 'model', created: 0, owned_by: OWNER[model.provider], available: providerStatus(env, model.provider).active });
  }
  const aliases = await cachedModelAliases(env.DB, tenantId);
  // Only a bot alias costs a read: the bot's model is what its alias shows.
  const bots = await Promise.all(aliases.map((alias) => (byId.has(alias.target) ? null : findBot(env.DB, tenantId, alias.target))));
  return [...aliases.map((alias, index) => aliasEntry(alias, byId, bots[index]!)), ...byId.values()];
}

async function tenantOfKey(c: Context<AppEnv>): Promise<string> {
  const key = await findKey(c.env, c.get('presentedKey'));
  if (!key) throw new ApiError(401, 'invalid_api_key', 'The API key is not valid');
  return key.tenantId;
}

const listRoute = createRoute({
  method: 'get',
  path: '/v1/models',
  tags: ['tasks'],
  summary: 'The model catalog: every model of every task, with its provider and price',
  description:
    'OpenAI-list-shaped (`{object: "list", data}`) with minnow\'s extra fields, so OpenAI clients can list it. ' +
    "The key's tenant's model aliases come first, each with `alias_of` and its target's fields.",
  security: [{ apiKey: [] }],
  middleware: [apiKeyFormat()] as const,
  responses: {
    200: { description: "The tenant's aliases, then the catalog", content: { 'application/json': { schema: z.object({ object: z.literal('list'), data: z.array(z.union([aliasEntrySchema, modelSchema])) }) } } },
    401: taskErrorResponses[401],
  },
});

/**
 * Documented as `/v1/models/{model}`, served as `/v1/models/:model{.+}`: model ids have slashes
 * (`@cf/baai/bge-small-en-v1.5`). The `openai` client sends them percent-encoded as one segment
 * (`@cf%2Fbaai%2F…`: its path encoder escapes `/`; Hono's router keeps `%2F` and the param is
 * decoded), curl users type them raw; the one pattern takes both.
 */
const retrieveRoute = createRoute({
  method: 'get',
  path: '/v1/models/{model}',
  tags: ['tasks'],
  summary: 'One model of GET /v1/models by its id (OpenAI\'s models.retrieve)',
  description:
    "OpenAI's Model object (`id`, `object`, `created`, `owned_by`) with the same extra fields as its entry in `GET /v1/models`; " +
    "the tenant's aliases included. The id may contain slashes, raw or percent-encoded (`@cf%2Fbaai%2Fbge-small-en-v1.5`). " +
    'An id the list does not have is a 404 `model_not_found` (param `model`).',
  security: [{ apiKey: [] }],
  request: { params: z.object({ model: z.string().openapi({ example: '@cf/baai/bge-small-en-v1.5' }) }) },
  responses: {
    200: { description: 'The model', content: { 'application/json': { schema: z.union([aliasEntrySchema, modelSchema]) } } },
    401: taskErrorResponses[401],
    404: errorResponse('No model or alias with that id (model_not_found)'),
  },
});

export function registerModels(app: OpenAPIHono<AppEnv>): void {
  app.openapi(listRoute, async (c) => c.json({ object: 'list' as const, data: await modelEntries(c.env, await tenantOfKey(c)) }, 200));

  app.openAPIRegistry.registerPath(retrieveRoute);
  app.get('/v1/models/:model{.+}', apiKeyFormat(), async (c) => {
    const id = c.req.param('model');
    const entries = await modelEntries(c.env, await tenantOfKey(c));
    const model = entries.find((entry) => entry.id === id);
    // OpenAI's answer for a model that does not exist (embeddings and chat completions answer the same).
    if (!model) throw new ApiError(404, 'model_not_found', `No model or alias ${id}; GET /v1/models lists the catalog and the tenant's aliases`, { param: 'model' });
    return c.json(model, 200);
  });
}
