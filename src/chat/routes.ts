import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env';

/** /v1/bots, /v1/chat, /v1/conversations, /v1/chat/completions. */
export function registerChatRoutes(_app: OpenAPIHono<AppEnv>): void {}
