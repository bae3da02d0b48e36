import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../contracts/env';
import { MAX_MEANING_ITEMS, MAX_MEANING_TEXT_CHARS } from '../embed/limits';
import { registerTaskRoute } from '../../routes/task-routes';
import { rerankRequestSchema, rerankResponseSchema, type RerankResult } from './schema';
import { rerankTask } from './task';

export function registerRerank(app: OpenAPIHono<AppEnv>): void {
  registerTaskRoute(app, {
    task: rerankTask,
    summary: 'Rank up to 100 documents by relevance to a query',
    description:
      `\`results\` is the ranking, best first: \`{index, score}\` per document (\`top_k\` keeps the best k). Scores are 0–1: ` +
      `bge-reranker-base's logits through a sigmoid on Workers AI, TEI's sigmoid scores on Hugging Face, and locally a blend of ` +
      `BM25 word matching and word-vector similarity (lexical; compare its scores only within one answer). Up to ${MAX_MEANING_ITEMS} ` +
      `documents, each text at most ${MAX_MEANING_TEXT_CHARS} characters. The whole request is cached as one entry; usage.items is 1.`,
    request: rerankRequestSchema,
    response: rerankResponseSchema,
    presentResults: (results) => (results as RerankResult[][])[0]!,
  });
}
