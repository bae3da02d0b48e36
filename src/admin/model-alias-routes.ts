import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { adminErrorResponses } from '../http/error-responses';
import { findBot } from '../storage/bots';
import { deleteModelAlias, listModelAliases, MAX_MODEL_ALIASES, MODEL_ALIAS_PATTERN, putModelAlias, type ModelAlias, type ModelAliasKind } from '../storage/model-aliases';
import { getTenant } from '../storage/tenants';
import { chatModels, generativeChatModel } from '../tasks/chat/models';
import { EMBED_MODEL_IDS, embedModel } from '../tasks/embed/models';
import { catalogModels } from '../tasks/registry';

const json = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema } } });
const security = [{ adminToken: [] }];
const tenantParams = z.object({ id: z.string().min(1).max(100) });
const aliasName = z
  .string()
  .regex(MODEL_ALIAS_PATTERN, { error: 'must be 1–64 letters, digits, ".", "_", ":" or "-", starting with a letter or digit (e.g. text-embedding-3-small)' })
  .openapi({ description: 'The model name clients send', example: 'text-embedding-3-small' });
const aliasParams = tenantParams.extend({ alias: aliasName });

const aliasInputSchema = z
  .object({
    target: z.string().min(1).max(200).openapi({
      description: "What answers the alias: an embedding model (for /v1/embeddings), a chat model that writes answers, or one of the tenant's bots (`bot_…`, for /v1/chat/completions)",
      example: '@cf/baai/bge-small-en-v1.5',
    }),
  })
  .strict()
  .openapi('ModelAliasInput', { example: { target: '@cf/baai/bge-small-en-v1.5' } });

const aliasSchema = z
  .object({
    alias: z.string(),
    kind: z.enum(['embedding', 'chat']).openapi({ description: '`embedding`: answered by POST /v1/embeddings; `chat`: by POST /v1/chat/completions' }),
    target: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('ModelAlias');

const present = (alias: ModelAlias) => ({ alias: alias.alias, kind: alias.kind, target: alias.target, created_at: alias.createdAt, updated_at: alias.updatedAt });

async function requireTenant(db: D1Database, id: string): Promise<void> {
  if (!(await getTenant(db, id))) throw new ApiError(404, 'tenant_not_found', `No tenant ${id}`, { param: 'id' });
}

/** Which route the target serves; a 400 naming the choices when it serves none. */
async function kindOf(db: D1Database, tenantId: string, target: string): Promise<ModelAliasKind> {
  if (embedModel(target)) return 'embedding';
  if (generativeChatModel(target)) return 'chat';
  if (target.startsWith('bot_')) {
    if (await findBot(db, tenantId, target)) return 'chat';
    throw new ApiError(400, 'invalid_field', `Tenant ${tenantId} has no bot ${target}`, { param: 'target' });
  }
  const writers = chatModels.filter((model) => generativeChatModel(model.id)).map((model) => model.id);
  throw new ApiError(400, 'invalid_field', `Unknown target ${target}; an alias points at an embedding model (${EMBED_MODEL_IDS.join(', ')}), a chat model (${writers.join(', ')}) or one of the tenant's bots (bot_…)`, { param: 'target' });
}

/**
 * Model aliases: existing OpenAI code keeps its model names and changes only its base URL and key.
 * Applies at once in the isolate that made the change and within 30 s everywhere.
 */
export function registerModelAliasRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'put', path: '/admin/tenants/{id}/model-aliases/{alias}', tags: ['admin'], security,
      summary: 'Set a model alias: a name OpenAI code sends (text-embedding-3-small, gpt-4o-mini) and what answers it',
      description: `Creates or replaces the alias. At most ${MAX_MODEL_ALIASES} per tenant; a catalog model id or \`bot_…\` cannot be an alias. Listed in the tenant's GET /v1/models.`,
      request: { params: aliasParams, body: { required: true, ...json(aliasInputSchema) } },
      responses: { 200: { description: 'The alias', ...json(aliasSchema) }, ...adminErrorResponses },
    }),
    async (c) => {
      const { id, alias } = c.req.valid('param');
      const { target } = c.req.valid('json');
      await requireTenant(c.env.DB, id);
      if (alias.startsWith('bot_')) throw new ApiError(400, 'invalid_field', 'An alias cannot start with "bot_": that is how bot ids look', { param: 'alias' });
      if ([...catalogModels(), ...chatModels].some((model) => model.id === alias)) {
        throw new ApiError(400, 'invalid_field', `${alias} is a model in the catalog; an alias cannot hide it`, { param: 'alias' });
      }
      const kind = await kindOf(c.env.DB, id, target);
      const stored = await putModelAlias(c.env.DB, id, { alias, kind, target });
      if (!stored) throw new ApiError(400, 'too_many_aliases', `Tenant ${id} already has ${MAX_MODEL_ALIASES} model aliases, the most it may have; delete one first`, { param: 'alias' });
      return c.json(present(stored), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/admin/tenants/{id}/model-aliases', tags: ['admin'], security, summary: "A tenant's model aliases",
      request: { params: tenantParams },
      responses: { 200: { description: 'The aliases, by name', ...json(z.object({ data: z.array(aliasSchema) })) }, ...adminErrorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await requireTenant(c.env.DB, id);
      return c.json({ data: (await listModelAliases(c.env.DB, id)).map(present) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/admin/tenants/{id}/model-aliases/{alias}', tags: ['admin'], security, summary: 'Remove a model alias',
      request: { params: aliasParams },
      responses: { 200: { description: 'Removed', ...json(z.object({ alias: z.string(), deleted: z.literal(true) })) }, ...adminErrorResponses },
    }),
    async (c) => {
      const { id, alias } = c.req.valid('param');
      await requireTenant(c.env.DB, id);
      if (!(await deleteModelAlias(c.env.DB, id, alias))) throw new ApiError(404, 'model_alias_not_found', `Tenant ${id} has no model alias ${alias}`, { param: 'alias' });
      return c.json({ alias, deleted: true as const }, 200);
    },
  );
}
