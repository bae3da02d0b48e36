import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../contracts/env';
import { registerTaskRoute } from '../../routes/task-routes';
import { BINARY_NEUTRAL_BELOW, LEXICON_NEUTRAL_BAND } from './providers';
import { sentimentRequestSchema, sentimentResponseSchema } from './schema';
import { sentimentTask } from './task';

export function registerSentiment(app: OpenAPIHono<AppEnv>): void {
  registerTaskRoute(app, {
    task: sentimentTask,
    summary: 'Sentiment of one text or a batch',
    description:
      `Each result is positive, negative or neutral with a 0–1 confidence. Binary models (SST-2) answer neutral ` +
      `when neither side reaches ${BINARY_NEUTRAL_BELOW}; the local lexicon tier answers neutral within ±${LEXICON_NEUTRAL_BAND} polarity.`,
    request: sentimentRequestSchema,
    response: sentimentResponseSchema,
  });
}
