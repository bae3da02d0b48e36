import { z } from '@hono/zod-openapi';
import { envelopeSchema } from '../envelope-schema';
import { singleText, textBatch } from '../text-input';
import { MAX_MEANING_ITEMS, MAX_MEANING_TEXT_CHARS } from './limits';
import { EMBED_MODEL_IDS } from './models';

export const embedTextSchema = singleText(MAX_MEANING_TEXT_CHARS);
export const embedTextInputSchema = textBatch(MAX_MEANING_TEXT_CHARS, MAX_MEANING_ITEMS);

export const embedModelSchema = z
  .enum(EMBED_MODEL_IDS, { error: `must be one of: ${EMBED_MODEL_IDS.join(', ')}` })
  .openapi({ description: 'An embedding model from the catalog (GET /v1/models); it runs only on the provider that serves it' });

export const embedRequestSchema = z
  .object({
    text: embedTextInputSchema,
    model: embedModelSchema.optional(),
  })
  .strict()
  .openapi('EmbedRequest', { example: { text: ['How do I reset my password?', 'Where is my parcel?'] } });

export const embedResultSchema = z
  .object({
    embedding: z.array(z.number()).openapi({ description: 'The vector; compare vectors only from the same model' }),
    dims: z.number().int().positive().openapi({ description: 'Length of the vector (384 for bge-small, 100 for the local model …)' }),
  })
  .openapi('EmbedResult');

export const embedResponseSchema = envelopeSchema('EmbedResponse', embedResultSchema);

export type EmbedRequest = z.infer<typeof embedRequestSchema>;
export type EmbedResult = z.infer<typeof embedResultSchema>;
