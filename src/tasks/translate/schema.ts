import { z } from '@hono/zod-openapi';
import { envelopeSchema } from '../envelope-schema';
import { ASSUMED_SOURCE, TRANSLATION_LANGUAGES, type TranslationLanguage } from './languages';

/**
 * Longest text, in characters (~500 tokens): what both m2m100 (1,024 positions) and the opus-mt
 * models (512) translate whole. Longer documents go as a batch of paragraphs.
 */
export const MAX_TRANSLATE_CHARS = 2_000;
/** Most texts per request: one upstream call each, four at a time, within the provider timeout. */
export const MAX_TRANSLATE_TEXTS = 25;

const LANGUAGE_LIST = TRANSLATION_LANGUAGES.join(', ');
const languageSchema = z.enum(TRANSLATION_LANGUAGES, { error: `must be one of ${LANGUAGE_LIST} (ISO 639-1)` });

const textSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(MAX_TRANSLATE_CHARS, `must be at most ${MAX_TRANSLATE_CHARS} characters`)
  .refine((value) => value.trim().length > 0, 'must not be blank');

// The batch limit is a refine, not `.max()`: inside the string|array union zod reports a failed
// `.max()` as "expected string", while a refine's message (with the limit) reaches the caller.
const batchSchema = z
  .array(textSchema)
  .min(1, 'must hold at least one text')
  .refine((texts) => texts.length <= MAX_TRANSLATE_TEXTS, `must hold at most ${MAX_TRANSLATE_TEXTS} texts`)
  .openapi({ maxItems: MAX_TRANSLATE_TEXTS });

export const translateRequestSchema = z
  .object({
    text: z
      .union([textSchema, batchSchema])
      .openapi({ description: `A text, or an array of up to ${MAX_TRANSLATE_TEXTS} texts (each 1–${MAX_TRANSLATE_CHARS} characters)` }),
    target: languageSchema.openapi({ description: `Language to translate into: ${LANGUAGE_LIST}`, example: 'es' }),
    source: languageSchema
      .optional()
      .openapi({ description: `Language of the texts (${LANGUAGE_LIST}). Omitted: detected per text (a text with no detectable language is taken as "${ASSUMED_SOURCE}"; one in another language is refused)` }),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.source === input.target) ctx.addIssue({ code: 'custom', path: ['target'], message: 'must differ from source' });
  })
  .openapi('TranslateRequest', { example: { text: ['Good morning', 'Where is the station?'], target: 'es', source: 'en' } });

export const translateResultSchema = z
  .object({
    translation: z.string(),
    source: z.enum(TRANSLATION_LANGUAGES).openapi({ description: `The source language used: the one given, else the detected one ("${ASSUMED_SOURCE}" when none could be detected)` }),
  })
  .openapi('TranslateResult');

export const translateResponseSchema = envelopeSchema('TranslateResponse', translateResultSchema);

export type TranslateRequest = z.infer<typeof translateRequestSchema>;
export type TranslateResult = z.infer<typeof translateResultSchema>;
export interface TranslateOptions {
  target: TranslationLanguage;
  source?: TranslationLanguage;
}
