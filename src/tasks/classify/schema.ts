import { z } from '@hono/zod-openapi';
import { envelopeSchema } from '../envelope-schema';
import { MAX_BATCH_ITEMS, textBatch } from '../text-input';

/** Longest text, in characters: about what a 512-token encoder (bge-small, an NLI model) reads. */
export const MAX_CLASSIFY_TEXT_CHARS = 2_000;
export const MIN_LABELS = 2;
export const MAX_LABELS = 20;
export const MAX_LABEL_CHARS = 100;

const labelSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_LABEL_CHARS, `must be at most ${MAX_LABEL_CHARS} characters`);

/** Most labels a tenant-trained classifier may have (POST /v1/classifiers). */
export const MAX_CLASSIFIER_LABELS = 50;

/** A tenant-trained classifier's id (POST /v1/classifiers). */
export const CLASSIFIER_ID_PATTERN = /^clf_[A-Za-z0-9]{1,64}$/;

export const classifyRequestSchema = z
  .object({
    text: textBatch(MAX_CLASSIFY_TEXT_CHARS, MAX_BATCH_ITEMS),
    classifier: z
      .string()
      .regex(CLASSIFIER_ID_PATTERN, 'must be a classifier id (clf_…)')
      .optional()
      .openapi({ description: 'One of your trained classifiers (POST /v1/classifiers) instead of `labels`: it answers with its own labels', example: 'clf_3fK9aQ2mX7pL1sT4' }),
    labels: z
      .array(labelSchema)
      .min(MIN_LABELS, `must hold at least ${MIN_LABELS} labels`)
      .max(MAX_LABELS, `must hold at most ${MAX_LABELS} labels`)
      .superRefine((labels, ctx) => {
        // Labels differing only in case or surrounding spaces are the same class to every model.
        const seen = new Set<string>();
        labels.forEach((label, index) => {
          const key = label.toLowerCase();
          if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index], message: `repeats the label "${label}"` });
          seen.add(key);
        });
      })
      .optional()
      .openapi({ description: `${MIN_LABELS}–${MAX_LABELS} candidate labels, each 1–${MAX_LABEL_CHARS} characters, no repeats (case-insensitive); required unless \`classifier\` is given`, example: ['billing', 'shipping', 'account access'] }),
    multi_label: z
      .boolean()
      .default(false)
      .openapi({ description: 'false: the scores are one distribution over the labels (they sum to 1); true: each label is scored on its own (0–1). Not with `classifier`' }),
  })
  .strict()
  .superRefine((input, ctx) => {
    // Exactly one source of labels: the caller's list (zero-shot) or a trained classifier's own.
    if (input.classifier !== undefined && input.labels !== undefined) ctx.addIssue({ code: 'custom', path: ['labels'], message: 'give either labels (zero-shot) or classifier (your trained one), not both' });
    if (input.classifier === undefined && input.labels === undefined) ctx.addIssue({ code: 'custom', path: ['labels'], message: 'is required (or name a trained classifier in classifier)' });
    if (input.classifier !== undefined && input.multi_label) ctx.addIssue({ code: 'custom', path: ['multi_label'], message: 'a trained classifier picks one label: multi_label is not available with classifier' });
  })
  .openapi('ClassifyRequest', { example: { text: ['Where is my parcel?', 'I was charged twice'], labels: ['billing', 'shipping', 'account access'] } });

export const labelScoreSchema = z.object({ label: z.string(), score: z.number().min(0).max(1) }).openapi('LabelScore');

export const classifyResultSchema = z
  .object({
    labels: z.array(labelScoreSchema).openapi({ description: 'Every candidate label with its score, best first' }),
  })
  .openapi('ClassifyResult');

export const classifyResponseSchema = envelopeSchema('ClassifyResponse', classifyResultSchema);

export type ClassifyRequest = z.infer<typeof classifyRequestSchema>;
export type ClassifyResult = z.infer<typeof classifyResultSchema>;
export type LabelScore = z.infer<typeof labelScoreSchema>;
/** What changes every item's answer: the candidate labels (sorted: their order never matters) and the mode. */
export interface ClassifyOptions {
  labels: string[];
  multi_label: boolean;
  /** A trained classifier's version (`clf_…@v2`): its answers are its own, cached apart from zero-shot ones. */
  classifier?: string;
}
