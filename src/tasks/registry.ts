import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../env';
import { registerSentiment } from './sentiment/route';

/** Every task minnow serves; adding a task means adding its folder and a line here. */
export const TASK_NAMES = ['sentiment'] as const;
export type TaskName = (typeof TASK_NAMES)[number];

export function registerTaskRoutes(app: OpenAPIHono<AppEnv>): void {
  registerSentiment(app);
}
