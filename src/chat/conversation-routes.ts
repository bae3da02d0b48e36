import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { admitAccountRequest, admitScoped } from '../admission/admit';
import { apiKeyFormat } from '../http/api-key-format';
import { errorResponse as error } from '../http/error-responses';
import { deleteConversation, findConversation, listConversations, recentMessages, type Conversation } from '../storage/conversations';
import { MAX_KEPT_MESSAGES } from './finish';
import { conversationSchema } from './schema';
import { holdReservation } from '../pipeline/step-context';

/** Most conversations one listing returns. */
export const MAX_LISTED_CONVERSATIONS = 100;

const params = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' }, example: 'conv_3fKq9…' }) });
const base = { tags: ['chat'], security: [{ apiKey: [] }] };
const accountErrors = {
  401: error('Missing, unknown or revoked API key'),
  403: error('A publishable key, or a key not allowed to chat'),
  404: error('No such conversation, or it expired'),
  429: error('Rate limit exceeded; see `Retry-After`'),
};

const summary = (conversation: Conversation) => ({
  id: conversation.id,
  object: 'conversation' as const,
  bot: conversation.botId,
  turns: conversation.turns,
  handoff: conversation.handoffReason ? { reason: conversation.handoffReason, at: conversation.handedOffAt ?? conversation.updatedAt } : null,
  created_at: conversation.createdAt,
  updated_at: conversation.updatedAt,
  expires_at: conversation.expiresAt,
});

const listQuery = z
  .object({
    bot: z.string().min(1).max(64).optional().openapi({ description: "Only this bot's conversations" }),
    handoff: z.enum(['true', 'false']).optional().openapi({ description: '`true`: only those handed off to a person (your team\'s queue); `false`: only the others' }),
    limit: z.coerce.number().int().min(1).max(MAX_LISTED_CONVERSATIONS).default(20),
  })
  .strict();

export function registerConversationRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      ...base, method: 'get', path: '/v1/conversations/{id}', middleware: [apiKeyFormat()] as const,
      summary: 'A conversation: its messages (the last 100 kept), citations and handoff state',
      description:
        'A secret key reads any of the tenant\'s conversations. A publishable key (the `chat` scope, from an allowed origin) reads only a conversation it ' +
        'started, and only by presenting its id — 131 random bits that only the visitor\'s browser was given — so a site can restore its chat widget. ' +
        'Expired conversations (CONVERSATION_RETENTION_DAYS after the last message, default 30) are 404, as are other tenants\'.',
      request: { params },
      responses: {
        200: { description: 'The conversation', content: { 'application/json': { schema: conversationSchema } } },
        ...accountErrors,
        403: error('Key not allowed to chat, or publishable key from another origin'),
        404: error('No such conversation, expired, or another key\'s (publishable keys)'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      // Reading costs nothing: admitted like a chat request (scope, origin, rate limit) with a zero estimate.
      const ctx = await admitScoped(c, 'chat', { usd: 0, neurons: 0 });
      holdReservation(ctx).release();
      const conversation = await findConversation(c.env.DB, ctx.policy.tenantId, id, new Date().toISOString());
      const publishable = c.get('presentedKey').startsWith('pk_');
      if (!conversation || (publishable && conversation.keyId !== ctx.keyId)) throw new ApiError(404, 'conversation_not_found', `No conversation ${id}`, { param: 'id' });
      const messages = await recentMessages(c.env.DB, conversation.id, MAX_KEPT_MESSAGES);
      return c.json({ ...summary(conversation), messages }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...base, method: 'get', path: '/v1/conversations', middleware: [apiKeyFormat()] as const,
      summary: 'Your conversations, most recently active first — e.g. those handed off to your team',
      description: `Secret key. Without messages (read one for those). At most ${MAX_LISTED_CONVERSATIONS}; expired conversations are not listed.`,
      request: { query: listQuery },
      responses: {
        200: { description: 'Conversations', content: { 'application/json': { schema: z.object({ object: z.literal('list'), data: z.array(conversationSchema.omit({ messages: true })) }) } } },
        400: error('Invalid query; `param` names it'),
        ...accountErrors,
      },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const { key } = await admitAccountRequest(c, 'chat');
      const conversations = await listConversations(c.env.DB, key.tenantId, {
        now: new Date().toISOString(),
        limit: query.limit,
        ...(query.bot ? { botId: query.bot } : {}),
        ...(query.handoff ? { handedOff: query.handoff === 'true' } : {}),
      });
      return c.json({ object: 'list' as const, data: conversations.map(summary) }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...base, method: 'delete', path: '/v1/conversations/{id}', middleware: [apiKeyFormat()] as const,
      summary: 'Delete a conversation and its messages now (e.g. a customer asked to be forgotten)',
      request: { params },
      responses: { 200: { description: 'Deleted', content: { 'application/json': { schema: z.object({ id: z.string(), object: z.literal('conversation'), deleted: z.literal(true) }) } } }, ...accountErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { key } = await admitAccountRequest(c, 'chat');
      if (!(await deleteConversation(c.env.DB, key.tenantId, id))) throw new ApiError(404, 'conversation_not_found', `No conversation ${id}`, { param: 'id' });
      return c.json({ id, object: 'conversation' as const, deleted: true as const }, 200);
    },
  );
}
