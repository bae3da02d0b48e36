import { estimateTokens } from '../../providers/pricing';
import { asTextList } from '../text-input';
import type { PublicTaskDefinition } from '../types';
import { classifyModels } from './models';
import { trainedClassifierTask } from './trained';
import { BGE_CALIBRATION, huggingFaceClassify, LOCAL_CALIBRATION, localClassify, workersAiClassify } from './providers';
import { englishOnlyWarnings, ENGLISH_ONLY_SCORE_CAP, textsOf } from '../english-only';
import { type ClassifyOptions, type ClassifyRequest, classifyRequestSchema, classifyResponseSchema, type ClassifyResult, MAX_CLASSIFIER_LABELS, MAX_CLASSIFY_TEXT_CHARS, MAX_LABEL_CHARS, MAX_LABELS, MIN_LABELS } from './schema';

/** The most one label of a classifier can add to a text's units: MAX_LABEL_CHARS UTF-16 units of 3 UTF-8 bytes each. */
const CLASSIFIER_LABEL_TOKENS = estimateTokens('字'.repeat(MAX_LABEL_CHARS));

export const classifyTask: PublicTaskDefinition<ClassifyRequest, string, ClassifyResult, ClassifyOptions> = {
  name: 'classify',
  cacheTtlSeconds: 7 * 24 * 60 * 60,
  items: (input) => asTextList(input.text),
  canonicalItem: (text) => text.normalize('NFC'),
  // Sorted: every provider scores each label on its own and the results are ranked, so the
  // order the caller listed them in never changes the answer and must not split the cache.
  // Without labels the request names a classifier: `resolve` swaps in that classifier's task,
  // whose options carry its labels; the empty list only sizes admission's estimate.
  options: (input) => ({ labels: [...(input.labels ?? [])].sort(), multi_label: input.multi_label }),
  resolve: (env, tenantId, input) => (input.classifier ? trainedClassifierTask(classifyTask, env, tenantId, input.classifier) : Promise.resolve(undefined)),
  names: (input) => input.classifier,
  // Each text is sent with its candidate labels. Before `resolve` a classifier's labels are not
  // known: admission reserves for the most a classifier can have, so an escalation fits the estimate.
  units: (text, options) =>
    estimateTokens(text) + (options.labels.length === 0 ? MAX_CLASSIFIER_LABELS * CLASSIFIER_LABEL_TOKENS : options.labels.reduce((sum, label) => sum + estimateTokens(label), 0)),
  providers: [workersAiClassify, huggingFaceClassify, localClassify],
  models: classifyModels,
  confidence: (result) => result.labels[0]?.score ?? 0,
  defaultCascadeThreshold: 0.6,
  // Zero-shot only: a tenant's trained classifier (options.classifier) learnt from the tenant's own texts, in any language.
  warnings: (options, provider, _results, texts) =>
    provider === 'local' && !options.classifier
      ? englishOnlyWarnings(textsOf(texts), `its labels are compared with English word vectors, which know few of its words, so the scores are scaled down to at most ${ENGLISH_ONLY_SCORE_CAP}.`)
      : [],
  api: {
    summary: 'Zero-shot classification of one text or a batch into your labels',
    description:
      `Scores every candidate label (${MIN_LABELS}–${MAX_LABELS}, each ≤${MAX_LABEL_CHARS} characters) for each text (≤${MAX_CLASSIFY_TEXT_CHARS} characters), best first. ` +
      `Hugging Face runs an NLI model (facebook/bart-large-mnli): its own probabilities. Workers AI (bge-small) and the local tier compare the ` +
      `text with "This text is about <label>." by cosine similarity: single-label scores are softmax(cosine / T), multi_label scores are ` +
      `sigmoid((cosine − c) / T) per label (bge: T=${BGE_CALIBRATION.temperature}, c=${BGE_CALIBRATION.center}; local: T=${LOCAL_CALIBRATION.temperature}, c=${LOCAL_CALIBRATION.center}) — ` +
      `similarity-derived confidences, not calibrated probabilities — except the local tier's single-label top score, which is the measured ` +
      `probability that the top label is right (docs/local-tier.md). The label order you send does not matter. ` +
      `With \`classifier\` instead of \`labels\`, your trained classifier answers (docs/classifiers.md): on the local tier, at no cost, with calibrated ` +
      `probabilities; below the cascade threshold the neural zero-shot classifier answers with the same labels.`,
    request: classifyRequestSchema,
    response: classifyResponseSchema,
    primaryField: 'text',
    sample: { text: 'sample' },
  },
};