import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../contracts/env';
import { registerTaskRoute } from '../../routes/task-routes';
import { answerRequestSchema, answerResponseSchema, MAX_CONTEXT_CHARS, MAX_QUESTION_CHARS } from './schema';
import { answerTask } from './task';

export function registerAnswer(app: OpenAPIHono<AppEnv>): void {
  registerTaskRoute(app, {
    task: answerTask,
    summary: 'Extractive question answering over a context',
    description:
      `Answers a question (≤ ${MAX_QUESTION_CHARS} characters) with a span of the context (≤ ${MAX_CONTEXT_CHARS} characters): ` +
      'one result whose `answer` is exactly `context.slice(start, end)` (UTF-16 offsets). Hugging Face returns the model\'s span ' +
      'and probability; the local tier returns the best-matching sentence and a 0–1 match score. Workers AI has no QA model.',
    request: answerRequestSchema,
    response: answerResponseSchema,
  });
}
