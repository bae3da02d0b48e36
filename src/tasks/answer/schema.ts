import { z } from '@hono/zod-openapi';
import { envelopeSchema } from '../envelope-schema';

/** Longest question, in characters: a question, not a document. */
export const MAX_QUESTION_CHARS = 500;
/** Longest context, in characters (~2,500 tokens: extractive QA models read it in windows). */
export const MAX_CONTEXT_CHARS = 10_000;

const notBlank = (value: string) => value.trim().length > 0;

export const answerRequestSchema = z
  .object({
    question: z
      .string()
      .min(1, 'must not be empty')
      .max(MAX_QUESTION_CHARS, `must be at most ${MAX_QUESTION_CHARS} characters`)
      .refine(notBlank, 'must not be blank')
      .openapi({ description: `The question, 1–${MAX_QUESTION_CHARS} characters`, example: 'When was the bridge opened?' }),
    context: z
      .string()
      .min(1, 'must not be empty')
      .max(MAX_CONTEXT_CHARS, `must be at most ${MAX_CONTEXT_CHARS} characters`)
      .refine(notBlank, 'must not be blank')
      .openapi({
        description: `The text the answer is taken from, 1–${MAX_CONTEXT_CHARS} characters`,
        example: 'The Golden Gate Bridge opened in 1937. It spans the Golden Gate strait.',
      }),
  })
  .strict()
  .openapi('AnswerRequest');

export const answerResultSchema = z
  .object({
    answer: z.string().openapi({ description: 'The answer, exactly `context.slice(start, end)`; empty when the model found none' }),
    score: z.number().min(0).max(1).openapi({ description: 'Confidence, 0–1 (the local tier: a similarity score, not a probability)' }),
    start: z.number().int().min(0).openapi({ description: 'Offset of the answer in the context (UTF-16 code units, as JavaScript indexes strings)' }),
    end: z.number().int().min(0).openapi({ description: 'Offset just past the answer' }),
  })
  .openapi('AnswerResult');

export const answerResponseSchema = envelopeSchema('AnswerResponse', answerResultSchema);

export type AnswerRequest = z.infer<typeof answerRequestSchema>;
export type AnswerResult = z.infer<typeof answerResultSchema>;
/** One QA item: the question is asked of its own context (answered and cached as a whole). */
export interface AnswerItem {
  question: string;
  context: string;
}
