import { z } from '@hono/zod-openapi';
import { envelopeSchema } from '../envelope-schema';
import { MAX_BATCH_ITEMS, textBatch } from '../text-input';
import type { LocalReadShare } from '../local-window';

/** Longest text, in characters: about what a 512-token NER model (BERT) reads in one pass. */
export const MAX_ENTITIES_TEXT_CHARS = 2_000;
export const MAX_TYPE_FILTERS = 50;
export const MAX_TYPE_CHARS = 50;

export const entitiesRequestSchema = z
  .object({
    text: textBatch(MAX_ENTITIES_TEXT_CHARS, MAX_BATCH_ITEMS),
    types: z
      .array(z.string().trim().min(1, 'must not be empty').max(MAX_TYPE_CHARS, `must be at most ${MAX_TYPE_CHARS} characters`))
      .min(1, 'must hold at least one type')
      .max(MAX_TYPE_FILTERS, `must hold at most ${MAX_TYPE_FILTERS} types`)
      .optional()
      .openapi({
        description:
          'Only these entity types (case-insensitive; PER/ORG/LOC are accepted for person/organization/location). ' +
          "Any type a tenant's own model emits can be named, e.g. disease_disorder.",
        example: ['person', 'email'],
      }),
  })
  .strict()
  .openapi('EntitiesRequest', { example: { text: 'Angela Merkel met Tim Cook in Berlin. Mail press@example.com.' } });

export const entitySchema = z
  .object({
    type: z.string().openapi({ description: 'person, organization, location, misc, email, url, phone, money, date, … (lowercase)' }),
    text: z.string().openapi({ description: 'Exactly the characters text[start:end] of the input' }),
    start: z.number().int().min(0).openapi({ description: 'Offset into the original text, in JavaScript string (UTF-16) units' }),
    end: z.number().int().min(0).openapi({ description: 'End offset (exclusive), same units' }),
    score: z.number().min(0).max(1),
  })
  .openapi('Entity');

export const entitiesResultSchema = z
  .object({ entities: z.array(entitySchema).openapi({ description: 'In text order' }) })
  .openapi('EntitiesResult');

export const entitiesResponseSchema = envelopeSchema('EntitiesResponse', entitiesResultSchema);

export type EntitiesRequest = z.infer<typeof entitiesRequestSchema>;
export type Entity = z.infer<typeof entitySchema>;
export type EntitiesResult = z.infer<typeof entitiesResultSchema>;
/** The type filter, normalised (entityType) and sorted; absent = every type. And the local tier's share of its request budget. */
export interface EntitiesOptions extends LocalReadShare {
  types?: string[];
}
