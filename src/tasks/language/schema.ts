import { z } from '@hono/zod-openapi';
import { envelopeSchema } from '../envelope-schema';
import { MAX_TEXT_CHARS, textInputSchema } from '../text-input';

/** Longest text: the shared limit (detection reads all of it; a few hundred characters already suffice). */
export const MAX_LANGUAGE_TEXT_CHARS = MAX_TEXT_CHARS;
/** Other candidate languages returned besides the top one. */
export const MAX_ALTERNATIVES = 3;
/** What a text with no detectable language (digits, emoji, punctuation, too little text) gets. */
export const UNDETERMINED = 'und';

export const languageRequestSchema = z
  .object({ text: textInputSchema })
  .strict()
  .openapi('LanguageRequest', { example: { text: ['Where is my parcel?', '¿Dónde está mi paquete?'] } });

const languageScoreSchema = z
  .object({
    language: z.string().openapi({ description: 'ISO 639-1 code' }),
    score: z.number().min(0).max(1),
  })
  .openapi('LanguageScore');

export const languageResultSchema = z
  .object({
    language: z.string().openapi({ description: `ISO 639-1 code, or "${UNDETERMINED}" when no language can be determined`, example: 'es' }),
    score: z.number().min(0).max(1).openapi({ description: `Confidence, 0–1 (0 for "${UNDETERMINED}")` }),
    alternatives: z.array(languageScoreSchema).openapi({ description: `Up to ${MAX_ALTERNATIVES} next most likely languages, best first` }),
  })
  .openapi('LanguageResult');

export const languageResponseSchema = envelopeSchema('LanguageResponse', languageResultSchema);

export type LanguageRequest = z.infer<typeof languageRequestSchema>;
export type LanguageResult = z.infer<typeof languageResultSchema>;
