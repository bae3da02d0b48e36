import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import { admitScoped } from '../middleware/admission';
import { apiKeyFormat } from '../middleware/api-key';
import { errorSchema } from '../openapi/error-responses';
import { findConversation, recentMessages } from '../storage/conversations';
import { MAX_KEPT_MESSAGES } from './finish';
import { releaseReservation } from './metering';
import { conversationSchema } from './schema';

const error = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } });
const params = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' }, example: 'conv_3fKq9…' }) });

export function registerConversationRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/conversations/{id}',
      tags: ['chat'],
      summary: 'A conversation: its messages (the last 100 kept), citations and handoff state',
      description:
        'A secret key reads any of the tenant\'s conversations. A publishable key (the `chat` scope, from an allowed origin) reads only a conversation it ' +
        'started, and only by presenting its id — 131 random bits that only the visitor\'s browser was given — so a site can restore its chat widget. ' +
        'Expired conversations (CONVERSATION_RETENTION_DAYS after the last message, default 30) are 404, as are other tenants\'.',
      security: [{ apiKey: [] }],
      middleware: [apiKeyFormat()] as const,
      request: { params },
      responses: {
        200: { description: 'The conversation', content: { 'application/json': { schema: conversationSchema } } },
        401: error('Missing, unknown or revoked API key'),
        403: error('Key not allowed to chat, or publishable key from another origin'),
        404: error('No such conversation, expired, or another key\'s (publishable keys)'),
        429: error('Rate limit exceeded; see `Retry-After`'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      // Reading costs nothing: admitted like a chat request (scope, origin, rate limit) with a zero estimate.
      const ctx = await admitScoped(c, 'chat', { usd: 0, neurons: 0 });
      releaseReservation(ctx);
      const conversation = await findConversation(c.env.DB, ctx.policy.tenantId, id, new Date().toISOString());
      const publishable = c.get('presentedKey').startsWith('pk_');
      if (!conversation || (publishable && conversation.keyId !== ctx.keyId)) throw new ApiError(404, 'conversation_not_found', `No conversation ${id}`, { param: 'id' });
      const messages = await recentMessages(c.env.DB, conversation.id, MAX_KEPT_MESSAGES);
      return c.json(
        {
          id: conversation.id,
          object: 'conversation' as const,
          bot: conversation.botId,
          turns: conversation.turns,
          handoff: conversation.handoffReason ? { reason: conversation.handoffReason, at: conversation.handedOffAt ?? conversation.updatedAt } : null,
          created_at: conversation.createdAt,
          updated_at: conversation.updatedAt,
          expires_at: conversation.expiresAt,
          messages,
        },
        200,
      );
    },
  );
}
