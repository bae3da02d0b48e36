import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../contracts/env';
import { MAX_MEANING_ITEMS, MAX_MEANING_TEXT_CHARS } from '../embed/limits';
import { registerTaskRoute } from '../../routes/task-routes';
import type { SimilarityScores } from './providers';
import { similarityRequestSchema, similarityResponseSchema } from './schema';
import { similarityTask } from './task';

export function registerSimilarity(app: OpenAPIHono<AppEnv>): void {
  registerTaskRoute(app, {
    task: similarityTask,
    summary: 'How close in meaning a text is to each of up to 100 others',
    description:
      `One score per target, in order: the cosine similarity (−1…1) of sentence embeddings — bge-small-en-v1.5 on Workers AI, ` +
      `all-MiniLM-L6-v2 on Hugging Face, averaged word vectors locally (lexical: topic overlap, not word order or negation). ` +
      `Compare scores within one answer; their scale differs between models. Up to ${MAX_MEANING_ITEMS} targets, each text ` +
      `at most ${MAX_MEANING_TEXT_CHARS} characters. The whole request is cached as one entry; usage.items is 1.`,
    request: similarityRequestSchema,
    response: similarityResponseSchema,
    presentResults: (results) => (results as SimilarityScores[])[0]!.map((score) => ({ score })),
  });
}
