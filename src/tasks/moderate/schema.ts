import { z } from '@hono/zod-openapi';
import { envelopeSchema } from '../envelope-schema';
import { textBatch } from '../text-input';

/** Longest text, in characters (~2,000 tokens; Llama Guard reads 8k, toxic-bert the first 512). */
export const MAX_MODERATE_CHARS = 8_000;
/** Most texts per request: one upstream call each, four at a time, within the provider timeout. */
export const MAX_MODERATE_TEXTS = 25;
/** A category counts (and flags the text) at this score or above, on every provider. */
export const FLAG_THRESHOLD = 0.5;

export const moderateRequestSchema = z
  .object({
    text: textBatch(MAX_MODERATE_CHARS, MAX_MODERATE_TEXTS),
  })
  .strict()
  .openapi('ModerateRequest', { example: { text: ['Have a great day!', 'Email me at jo@example.com'] } });

export const moderationCategorySchema = z
  .object({
    category: z.string().openapi({
      description:
        'Workers AI (Llama Guard 3): violent_crimes, non_violent_crimes, sex_related_crimes, child_sexual_exploitation, defamation, ' +
        'specialized_advice, privacy, intellectual_property, indiscriminate_weapons, hate, suicide_self_harm, sexual_content, elections, ' +
        'code_interpreter_abuse. Hugging Face (toxic-bert): toxic, severe_toxic, obscene, threat, insult, identity_hate. ' +
        'Local: profanity, threat, harassment, hate, self_harm, pii.email, pii.phone, pii.credit_card, pii.ssn, pii.iban.',
    }),
    score: z.number().min(0).max(1).openapi({ description: 'Confidence, 0–1 (Llama Guard gives no scores: 1 for every category it names)' }),
  })
  .openapi('ModerationCategory');

export const moderateResultSchema = z
  .object({
    flagged: z.boolean().openapi({ description: 'True when any category reached the threshold' }),
    categories: z
      .array(moderationCategorySchema)
      .openapi({ description: `The categories that flagged the text (score ≥ ${FLAG_THRESHOLD}), highest first; empty when not flagged` }),
    confidence: z.number().min(0).max(1).optional().openapi({
      description:
        'The local tier only: the measured chance that `flagged` is right (flagged or not), from the evidence it found — low when an ' +
        'unflagged text still points menace, a prediction or a group at someone. The cascade keeps a local answer at or above its ' +
        'threshold and escalates the rest. Absent on Workers AI and Hugging Face answers.',
    }),
  })
  .openapi('ModerateResult');

export const moderateResponseSchema = envelopeSchema('ModerateResponse', moderateResultSchema);

export type ModerateRequest = z.infer<typeof moderateRequestSchema>;
export type ModerateResult = z.infer<typeof moderateResultSchema>;
export type ModerationCategory = z.infer<typeof moderationCategorySchema>;

/** The result from category scores: keeps those at the threshold or above, one per name, best first. */
export function moderationResult(scores: ModerationCategory[]): ModerateResult {
  const best = new Map<string, number>();
  for (const { category, score } of scores) if (score >= FLAG_THRESHOLD) best.set(category, Math.max(best.get(category) ?? 0, score));
  const categories = [...best.entries()]
    .map(([category, score]) => ({ category, score: Math.round(Math.min(1, score) * 10_000) / 10_000 }))
    .sort((a, b) => b.score - a.score || a.category.localeCompare(b.category));
  return { flagged: categories.length > 0, categories };
}
