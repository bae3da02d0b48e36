import { z } from '@hono/zod-openapi';
import { envelopeSchema } from '../envelope-schema';
import { textBatch } from '../text-input';
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

export const translateRequestSchema = z
  .object({
    text: textBatch(MAX_TRANSLATE_CHARS, MAX_TRANSLATE_TEXTS),
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
