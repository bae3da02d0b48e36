import { z } from '@hono/zod-openapi';
import { envelopeSchema } from '../envelope-schema';
import { textInputSchema } from '../text-input';

export const sentimentRequestSchema = z
  .object({ text: textInputSchema })
  .strict()
  .openapi('SentimentRequest', { example: { text: ['I love it', 'This broke after a day'] } });

export const sentimentResultSchema = z
  .object({
    label: z.enum(['positive', 'negative', 'neutral']),
    score: z.number().min(0).max(1).openapi({ description: 'Confidence in the label, 0–1' }),
  })
  .openapi('SentimentResult');

export const sentimentResponseSchema = envelopeSchema('SentimentResponse', sentimentResultSchema);

export type SentimentRequest = z.infer<typeof sentimentRequestSchema>;
export type SentimentResult = z.infer<typeof sentimentResultSchema>;
