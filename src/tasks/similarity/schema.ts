import { z } from '@hono/zod-openapi';
import { envelopeSchema } from '../envelope-schema';
import { MAX_MEANING_ITEMS, MAX_MEANING_TEXT_CHARS } from '../embed/limits';
import { embedTextSchema } from '../embed/schema';

export const similarityRequestSchema = z
  .object({
    source: embedTextSchema.openapi({ description: `The text to compare (1–${MAX_MEANING_TEXT_CHARS} characters)` }),
    targets: z
      .array(embedTextSchema)
      .min(1, 'must hold at least one text')
      .max(MAX_MEANING_ITEMS, `must hold at most ${MAX_MEANING_ITEMS} texts`)
      .openapi({ description: `1–${MAX_MEANING_ITEMS} texts to compare it with (each 1–${MAX_MEANING_TEXT_CHARS} characters)` }),
  })
  .strict()
  .openapi('SimilarityRequest', { example: { source: 'Where is my parcel?', targets: ['My package has not arrived', 'How do I change my password?'] } });

export const similarityResultSchema = z
  .object({
    score: z.number().min(-1).max(1).openapi({ description: 'Cosine similarity of source and target, −1…1 (higher is closer)' }),
  })
  .openapi('SimilarityResult');

export const similarityResponseSchema = envelopeSchema('SimilarityResponse', similarityResultSchema);

/** What one provider answers for one request: a score per target, in order. */
export const similarityScoresSchema = z.array(z.number().min(-1).max(1));

export type SimilarityRequest = z.infer<typeof similarityRequestSchema>;
export type SimilarityResult = z.infer<typeof similarityResultSchema>;
