import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { admitManagement } from '../admission/admit';
import { MANAGING } from '../admission/browser-keys';
import { apiKeyFormat } from '../http/api-key-format';
import { jsonBody } from '../http/json-body';
import { errorResponse as error, jsonResponse as json } from '../http/error-responses';
import { deleteBot, findBot, insertBot, listBots, updateBot } from '../storage/bots';
import { changedBot, createBot, presentBot } from './bots';
import { botSchema, createBotSchema, updateBotSchema } from './schema';
import { holdReservation } from '../pipeline/step-context';

/** Most bots one listing returns. */
const MAX_LISTED_BOTS = 100;

const managementErrors = {
  400: error('Invalid input; `param` names the field (`knowledge_bases.1` for a knowledge base that is not yours)'),
  401: error('Missing, unknown or revoked API key'),
  403: error('A publishable key, or a secret key without every scope: managing bots needs a secret key with scope *'),
  404: error('No such bot (another tenant\'s bot id is reported the same way)'),
  429: error('Rate limit exceeded; see `Retry-After`'),
};
const params = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' }, example: 'bot_3fKq9' }) });
const base = { tags: ['chat'], security: [{ apiKey: [] }] };

/** Managing bots is managing the tenant's resources: a secret key with every scope, like knowledge bases. */
async function tenantOf(c: Parameters<typeof admitManagement>[0]): Promise<string> {
  const ctx = await admitManagement(c);
  holdReservation(ctx).release();
  return ctx.policy.tenantId;
}

async function botOf(c: Parameters<typeof admitManagement>[0], id: string) {
  const bot = await findBot(c.env.DB, await tenantOf(c), id);
  if (!bot) throw new ApiError(404, 'bot_not_found', `No bot ${id}`, { param: 'id' });
  return bot;
}

export function registerBotRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      ...base, method: 'post', path: '/v1/bots', summary: 'Create a support bot over your knowledge bases',
      middleware: [apiKeyFormat({ secretOnly: MANAGING }), jsonBody()] as const,
      request: { body: { required: true, content: { 'application/json': { schema: createBotSchema } } } },
      responses: { 201: json('The bot', botSchema), ...managementErrors },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const bot = await createBot(c.env, await tenantOf(c), input);
      await insertBot(c.env.DB, bot);
      return c.json(presentBot(bot), 201);
    },
  );

  app.openapi(
    createRoute({
      ...base, method: 'get', path: '/v1/bots', summary: 'Your bots, oldest first',
      middleware: [apiKeyFormat()] as const,
      responses: { 200: json('Your bots', z.object({ object: z.literal('list'), data: z.array(botSchema) })), ...managementErrors },
    }),
    async (c) => {
      return c.json({ object: 'list' as const, data: (await listBots(c.env.DB, await tenantOf(c), MAX_LISTED_BOTS)).map(presentBot) }, 200);
    },
  );

  app.openapi(
    createRoute({ ...base, method: 'get', path: '/v1/bots/{id}', summary: 'A bot', middleware: [apiKeyFormat()] as const, request: { params }, responses: { 200: json('The bot', botSchema), ...managementErrors } }),
    async (c) => c.json(presentBot(await botOf(c, c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      ...base, method: 'patch', path: '/v1/bots/{id}', summary: 'Change a bot (applies to the next message)',
      middleware: [apiKeyFormat({ secretOnly: MANAGING }), jsonBody()] as const,
      request: { params, body: { required: true, content: { 'application/json': { schema: updateBotSchema } } } },
      responses: { 200: json('The bot', botSchema), ...managementErrors },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const bot = await changedBot(c.env, await botOf(c, c.req.valid('param').id), input);
      await updateBot(c.env.DB, bot);
      return c.json(presentBot(bot), 200);
    },
  );

  app.openapi(
    createRoute({
      ...base, method: 'delete', path: '/v1/bots/{id}', summary: 'Delete a bot (its conversations stay readable until they expire)',
      middleware: [apiKeyFormat()] as const, request: { params },
      responses: { 200: json('Deleted', z.object({ id: z.string(), object: z.literal('bot'), deleted: z.literal(true) })), ...managementErrors },
    }),
    async (c) => {
      const bot = await botOf(c, c.req.valid('param').id);
      await deleteBot(c.env.DB, bot.tenantId, bot.id);
      return c.json({ id: bot.id, object: 'bot' as const, deleted: true as const }, 200);
    },
  );
}
