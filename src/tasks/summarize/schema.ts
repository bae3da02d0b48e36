import { z } from '@hono/zod-openapi';
import { envelopeSchema } from '../envelope-schema';
import { textBatch } from '../text-input';
import type { LocalReadShare } from '../local-window';

/** Longest text to summarize, in characters (~5,000 tokens). */
export const MAX_SUMMARIZE_CHARS = 20_000;
/**
 * Most texts per request. Each text is one generation call (~1 s on a small model), four at a
 * time, and the whole batch must finish within the provider timeout (PROVIDER_TIMEOUT_MS, 10 s).
 */
export const MAX_SUMMARIZE_TEXTS = 10;
export const MIN_SUMMARY_WORDS = 10;
export const MAX_SUMMARY_WORDS = 500;
export const DEFAULT_SUMMARY_WORDS = 60;

export const summarizeRequestSchema = z
  .object({
    text: textBatch(MAX_SUMMARIZE_CHARS, MAX_SUMMARIZE_TEXTS).openapi({ description: `A text, or an array of up to ${MAX_SUMMARIZE_TEXTS} texts (each 1–${MAX_SUMMARIZE_CHARS} characters), summarized one by one` }),
    max_words: z
      .number()
      .int('must be a whole number')
      .min(MIN_SUMMARY_WORDS, `must be at least ${MIN_SUMMARY_WORDS}`)
      .max(MAX_SUMMARY_WORDS, `must be at most ${MAX_SUMMARY_WORDS}`)
      .optional()
      .openapi({ description: `Longest summary, in words (${MIN_SUMMARY_WORDS}–${MAX_SUMMARY_WORDS}, default ${DEFAULT_SUMMARY_WORDS}); longer model output is cut at a sentence, else a word, boundary` }),
  })
  .strict()
  .openapi('SummarizeRequest', {
    example: { text: 'The city council approved the new budget on Tuesday after a long debate. It raises spending on transit by 12 percent.', max_words: 30 },
  });

export const summarizeResultSchema = z
  .object({ summary: z.string().openapi({ description: 'The summary, at most `max_words` words' }) })
  .openapi('SummarizeResult');

export const summarizeResponseSchema = envelopeSchema('SummarizeResponse', summarizeResultSchema);

export type SummarizeRequest = z.infer<typeof summarizeRequestSchema>;
export type SummarizeResult = z.infer<typeof summarizeResultSchema>;
/** `max_words`, and the local tier's share of its request budget (tasks/local-window.ts). */
export interface SummarizeOptions extends LocalReadShare {
  max_words: number;
}
