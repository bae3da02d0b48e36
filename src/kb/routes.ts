import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env';

/** /v1/kb: knowledge bases, their documents, and search. */
export function registerKnowledgeBaseRoutes(_app: OpenAPIHono<AppEnv>): void {}
