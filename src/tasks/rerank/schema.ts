import { z } from '@hono/zod-openapi';
import { envelopeSchema } from '../envelope-schema';
import { MAX_MEANING_ITEMS, MAX_MEANING_TEXT_CHARS } from '../embed/limits';
import { embedTextSchema } from '../embed/schema';

export const rerankRequestSchema = z
  .object({
    query: embedTextSchema.openapi({ description: `What the documents are ranked against (1–${MAX_MEANING_TEXT_CHARS} characters)` }),
    documents: z
      .array(embedTextSchema)
      .min(1, 'must hold at least one document')
      .max(MAX_MEANING_ITEMS, `must hold at most ${MAX_MEANING_ITEMS} documents`)
      .openapi({ description: `1–${MAX_MEANING_ITEMS} documents (each 1–${MAX_MEANING_TEXT_CHARS} characters)` }),
    top_k: z
      .number()
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(MAX_MEANING_ITEMS, `must be at most ${MAX_MEANING_ITEMS}`)
      .optional()
      .openapi({ description: 'Return only the best k documents (default: all)' }),
  })
  .strict()
  .openapi('RerankRequest', {
    example: { query: 'how do I get my money back', documents: ['Refunds are issued within 5 days.', 'Our office is in Berlin.'], top_k: 1 },
  });

export const rerankResultSchema = z
  .object({
    index: z.number().int().min(0).openapi({ description: 'Position of the document in `documents`' }),
    score: z.number().min(0).max(1).openapi({ description: 'Relevance, 0–1 (higher is more relevant)' }),
  })
  .openapi('RerankResult');

export const rerankResponseSchema = envelopeSchema('RerankResponse', rerankResultSchema);

/** What one provider answers for one request: the ranking, best first. */
export const rankingSchema = z.array(rerankResultSchema);

export type RerankRequest = z.infer<typeof rerankRequestSchema>;
export type RerankResult = z.infer<typeof rerankResultSchema>;
