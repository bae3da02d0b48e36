import { z } from '@hono/zod-openapi';
import { envelopeSchema } from '../envelope-schema';
import { MAX_MEANING_ITEMS, MAX_MEANING_TEXT_CHARS } from './limits';
import { EMBED_MODEL_IDS } from './models';

export const embedTextSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_MEANING_TEXT_CHARS, `must be at most ${MAX_MEANING_TEXT_CHARS} characters`);

/**
 * A string, or a batch of 1–100 strings answered in the same order. The batch maximum is a refine,
 * not `.max()`: inside a union, zod reports an array's `.max()` failure as a failed union
 * ("expected string"), while a refine's message reaches the caller.
 */
export const embedTextInputSchema = z
  .union([
    embedTextSchema,
    z
      .array(embedTextSchema)
      .min(1, 'must hold at least one text')
      .refine((texts) => texts.length <= MAX_MEANING_ITEMS, `must hold at most ${MAX_MEANING_ITEMS} texts`)
      .openapi({ maxItems: MAX_MEANING_ITEMS }),
  ])
  .openapi({ description: `A text, or an array of up to ${MAX_MEANING_ITEMS} texts (each 1–${MAX_MEANING_TEXT_CHARS} characters)` });

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
