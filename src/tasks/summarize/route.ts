import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../contracts/env';
import { registerTaskRoute } from '../../routes/task-routes';
import { DEFAULT_SUMMARY_WORDS, MAX_SUMMARIZE_CHARS, MAX_SUMMARIZE_TEXTS, summarizeRequestSchema, summarizeResponseSchema } from './schema';
import { summarizeTask } from './task';

export function registerSummarize(app: OpenAPIHono<AppEnv>): void {
  registerTaskRoute(app, {
    task: summarizeTask,
    summary: 'Summarize one text or a batch',
    description:
      `One summary per text (up to ${MAX_SUMMARIZE_TEXTS} texts of ≤ ${MAX_SUMMARIZE_CHARS} characters), each at most \`max_words\` ` +
      `words (default ${DEFAULT_SUMMARY_WORDS}). Workers AI (Llama 3.2 1B) and Hugging Face (DistilBART-CNN) write abstractive ` +
      'summaries; the local tier picks the most central sentences of the text, in order. Units are input-token ' +
      'equivalents: input tokens plus the expected summary tokens weighted by the model\'s output/input price ratio.',
    request: summarizeRequestSchema,
    response: summarizeResponseSchema,
  });
}
