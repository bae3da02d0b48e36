import { z } from '@hono/zod-openapi';
import { MAX_TRAINING_EXAMPLES } from '../lib/text-classifier/train';
import { CLASSIFIER_ID_PATTERN, MAX_CLASSIFIER_LABELS, MAX_CLASSIFY_TEXT_CHARS, MAX_LABEL_CHARS } from '../tasks/classify/schema';

export { MAX_CLASSIFIER_LABELS };

export const MIN_CLASSIFIER_LABELS = 2;
export const MIN_EXAMPLES_PER_LABEL = 3;

/**
 * Up to this many examples are trained inside the request (about a second of CPU for 500 short
 * texts); larger sets go to the JOBS queue and the version answers 202, status training.
 */
export const INLINE_MAX_EXAMPLES = 500;

const exampleSchema = z
  .object({
    text: z.string().trim().min(1, 'must not be empty').max(MAX_CLASSIFY_TEXT_CHARS, `must be at most ${MAX_CLASSIFY_TEXT_CHARS} characters`),
    label: z.string().trim().min(1, 'must not be empty').max(MAX_LABEL_CHARS, `must be at most ${MAX_LABEL_CHARS} characters`),
  })
  .strict();

const examplesSchema = z
  .array(exampleSchema)
  .min(1, 'must hold examples')
  .max(MAX_TRAINING_EXAMPLES, `must hold at most ${MAX_TRAINING_EXAMPLES.toLocaleString('en')} examples`)
  .openapi({
    description: `${MIN_CLASSIFIER_LABELS}–${MAX_CLASSIFIER_LABELS} labels, at least ${MIN_EXAMPLES_PER_LABEL} examples each, at most ${MAX_TRAINING_EXAMPLES.toLocaleString('en')} in all; a text may not appear under two labels`,
  });

const example = {
  name: 'support-intents',
  examples: [
    { text: 'I was charged twice this month', label: 'billing' },
    { text: 'Why is there an extra fee on my invoice?', label: 'billing' },
    { text: 'My card was declined at renewal', label: 'billing' },
    { text: 'Where is my parcel?', label: 'shipping' },
    { text: 'The tracking number has not updated in a week', label: 'shipping' },
    { text: 'Do you deliver on Saturdays?', label: 'shipping' },
  ],
};

const featuresSchema = z.enum(['local', 'neural']).openapi({
  description:
    '`local` (default): lexical n-grams and the local word vectors, trained and answered in the Worker at $0. `neural`: the n-grams and the vectors of the ' +
    'tenant\'s neural embedding model (its embed plan\'s first Workers AI or Hugging Face model): the examples are embedded (billed like any embed call, ' +
    `\`training_usage\` in the answer) and every classify call embeds its text with the same model; at most ${INLINE_MAX_EXAMPLES} examples, 400 when the tenant has no such model. ` +
    'On retraining, the newest version\'s kind unless given.',
});

export const createClassifierSchema = z
  .object({ name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'), examples: examplesSchema, features: featuresSchema.optional() })
  .strict()
  .openapi('CreateClassifier', { example });

export const retrainClassifierSchema = z
  .object({ examples: examplesSchema, name: z.string().trim().min(1).max(100).optional().openapi({ description: 'A new name, if it changes' }), features: featuresSchema.optional() })
  .strict()
  .openapi('RetrainClassifier', { example: { examples: example.examples } });

export const classifierParams = z.object({
  id: z.string().regex(CLASSIFIER_ID_PATTERN, 'is not a classifier id').openapi({ param: { name: 'id', in: 'path' }, example: 'clf_3fK9aQ2mX7pL1sT4' }),
});

const metricsSchema = z
  .object({
    cross_validated_accuracy: z.number(),
    folds: z.number().int(),
    per_label: z.record(z.string(), z.object({ precision: z.number(), recall: z.number(), examples: z.number().int() })),
  })
  .openapi('ClassifierMetrics', { description: 'From k-fold cross-validation: every example scored by a model trained without it' });

const versionSchema = z.object({
  version: z.number().int(),
  status: z.enum(['training', 'ready', 'failed']),
  labels: z.array(z.string()),
  examples: z.number().int(),
  features: z.enum(['lexical', 'lexical+word-vectors', 'lexical+word-vectors-100k', 'lexical+neural']),
  metrics: metricsSchema.nullable(),
  error: z.string().nullable(),
  created_at: z.string(),
  trained_at: z.string().nullable(),
});

export const classifierSchema = z
  .object({
    id: z.string(),
    object: z.literal('classifier'),
    name: z.string(),
    labels: z.array(z.string()).openapi({ description: 'The newest version’s labels' }),
    version: z.number().int().openapi({ description: 'The newest version' }),
    status: z.enum(['training', 'ready', 'failed']).openapi({ description: 'The newest version’s status' }),
    metrics: metricsSchema.nullable().openapi({ description: 'The newest version’s cross-validated metrics (null while it trains)' }),
    answering_version: z.number().int().nullable().openapi({ description: 'The version POST /v1/classify uses: the newest ready one (null: none yet)' }),
    versions: z.array(versionSchema).openapi({ description: 'Newest first' }),
    created_at: z.string(),
    updated_at: z.string(),
    training_usage: z
      .object({ embedding_model: z.string(), embedded_texts: z.number().int(), cost_usd: z.number(), neurons: z.number() })
      .optional()
      .openapi({ description: 'Only in the answer that trained a `features: "neural"` version: what embedding its examples cost (cached texts cost nothing)' }),
  })
  .openapi('Classifier');
