import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../contracts/env';
import { registerBotRoutes } from './bot-routes';
import { registerChatRoute } from './chat-route';
import { registerCompletionsRoute } from './completions-route';
import { registerConversationRoutes } from './conversation-routes';

/** /v1/bots, /v1/chat, /v1/conversations, /v1/chat/completions (docs/chat.md). */
export function registerChatRoutes(app: OpenAPIHono<AppEnv>): void {
  registerBotRoutes(app);
  // /v1/chat/completions before /v1/chat: distinct paths, but the more specific one reads first.
  registerCompletionsRoute(app);
  registerChatRoute(app);
  registerConversationRoutes(app);
}
