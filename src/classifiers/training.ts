import type { Bindings } from '../contracts/env';
import { fieldPath } from '../contracts/validation';
import { ApiError } from '../contracts/errors';
import type { ClassifierTrainMessage } from '../contracts/queue-messages';
import { type Example, trainClassifier, type TrainedClassifier } from '../lib/text-classifier/train';
import { classifierEmbedder } from '../tasks/classify/trained';
import { type ClassifierFeatures, findClassifier, type LocalClassifierFeatures, forgetPendingExamples, markVersionFailed, markVersionReady, putPendingExamples, takePendingExamples } from '../storage/classifiers';
import type { ExamplesSource } from './examples-source';
import { INLINE_MAX_EXAMPLES, MAX_CLASSIFIER_LABELS, MIN_CLASSIFIER_LABELS, MIN_EXAMPLES_PER_LABEL } from './schema';


/** Two texts are the same example when they differ only in case, spacing or Unicode form. */
const sameText = (text: string) => text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
const quote = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 79)}…` : text);

/**
 * The checks zod cannot make alone, each a 400 naming what was wrong: a text under two labels (both
 * named), labels that differ only in case, too few or too many labels, a label with fewer than
 * MIN_EXAMPLES_PER_LABEL examples. Returns the sorted labels.
 */
export function validateExamples(examples: Example[]): string[] {
  const labelOf = new Map<string, { label: string; index: number }>();
  const labelByCase = new Map<string, string>();
  const counts = new Map<string, number>();
  examples.forEach(({ text, label }, index) => {
    const seen = labelOf.get(sameText(text));
    if (seen && seen.label !== label) {
      throw new ApiError(400, 'conflicting_examples', `The text ${quote(text)} is given under two labels: "${seen.label}" (examples.${seen.index}) and "${label}" (examples.${index}); keep it under one`, { param: fieldPath('examples', index, 'label') });
    }
    if (!seen) labelOf.set(sameText(text), { label, index });
    const folded = label.toLowerCase();
    const spelled = labelByCase.get(folded);
    if (spelled !== undefined && spelled !== label) {
      throw new ApiError(400, 'conflicting_labels', `The labels "${spelled}" and "${label}" differ only in case: use one spelling`, { param: fieldPath('examples', index, 'label') });
    }
    labelByCase.set(folded, label);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  });
  if (counts.size < MIN_CLASSIFIER_LABELS) throw new ApiError(400, 'too_few_labels', `The examples hold ${counts.size} label; a classifier needs ${MIN_CLASSIFIER_LABELS} to ${MAX_CLASSIFIER_LABELS}`, { param: 'examples' });
  if (counts.size > MAX_CLASSIFIER_LABELS) throw new ApiError(400, 'too_many_labels', `The examples hold ${counts.size} labels; a classifier takes at most ${MAX_CLASSIFIER_LABELS}`, { param: 'examples' });
  const short = [...counts].filter(([, count]) => count < MIN_EXAMPLES_PER_LABEL).sort(([a], [b]) => (a < b ? -1 : 1));
  if (short.length > 0) {
    const list = short.slice(0, 10).map(([label, count]) => `"${label}" (${count})`).join(', ');
    throw new ApiError(400, 'too_few_examples', `Each label needs at least ${MIN_EXAMPLES_PER_LABEL} examples; too few for ${list}${short.length > 10 ? ` and ${short.length - 10} more` : ''}`, { param: 'examples' });
  }
  return [...counts.keys()].sort();
}

/**
 * Which features a new version trains on: the lexical n-grams with the 100,000-word vectors when
 * they load (the word vectors lift accuracy with few examples, the wider vocabulary more:
 * docs/classifiers.md), else with the shared 30,000-word ones, else the n-grams alone. The
 * version records which, and answering uses the same.
 */
export async function featuresFor(env: Bindings): Promise<LocalClassifierFeatures> {
  for (const features of ['lexical+word-vectors-100k', 'lexical+word-vectors'] as const) {
    try {
      await classifierEmbedder(env, features);
      return features;
    } catch {
      // Missing artifact: try the next, narrower features.
    }
  }
  return 'lexical';
}

/** The examples' neural vectors (in the source's order) and their model, for `lexical+neural` (neural-features.ts). */
export interface NeuralVectors {
  model: string;
  vectors: Float32Array[];
}

/** Trains on the source's examples with the given features (CPU only, no I/O but the vectors' load; neural vectors come embedded). */
export async function train(env: Bindings, source: ExamplesSource, features: ClassifierFeatures, neural?: NeuralVectors): Promise<TrainedClassifier> {
  const examples = await source.examples();
  if (features === 'lexical+neural') {
    if (neural?.vectors.length !== examples.length) throw new Error('neural features need every example embedded first');
    const trained = trainClassifier(examples, neural.vectors);
    trained.model.denseModel = neural.model;
    // The familiarity check's centroids are for local word vectors (tasks/classify/trained.ts):
    // a neural version answers on its embedding model, which knows words its examples never used.
    delete trained.model.centroids;
    return trained;
  }
  const dense = (await classifierEmbedder(env, features))?.embed(examples.map((example) => example.text));
  return trainClassifier(examples, dense);
}

/** Trains a version in the request and marks it ready; a training error marks it failed and is thrown. */
export async function trainNow(env: Bindings, target: { tenantId: string; classifierId: string; version: number }, source: ExamplesSource, features: ClassifierFeatures, neural?: NeuralVectors): Promise<void> {
  let trained: TrainedClassifier;
  try {
    trained = await train(env, source, features, neural);
  } catch (error) {
    await markVersionFailed(env.DB, target.tenantId, target.classifierId, target.version, String(error));
    throw error;
  }
  await markVersionReady(env, target.tenantId, target.classifierId, target.version, trained);
}

/** Parks the examples in KV under the tenant's key and queues the version's training. */
export async function queueTraining(env: Bindings, message: Omit<ClassifierTrainMessage, 'kind'>, examples: Example[]): Promise<void> {
  await putPendingExamples(env.CACHE, message.tenantId, message.classifierId, message.version, examples);
  await env.JOBS.send({ kind: 'classifier.train', ...message });
}

/**
 * The JOBS consumer's part for classifier training. A version no longer training (trained, failed,
 * or its classifier deleted) is done; examples gone from KV (expired) fail it. A training error
 * fails the version (it would fail again); storage errors are thrown, so the queue retries.
 */
export async function consumeTrainingMessage(env: Bindings, message: ClassifierTrainMessage): Promise<void> {
  const { tenantId, classifierId, version } = message;
  const classifier = await findClassifier(env.DB, tenantId, classifierId);
  if (classifier?.versions.find((candidate) => candidate.version === version)?.status !== 'training') {
    await forgetPendingExamples(env.CACHE, tenantId, classifierId, version);
    return;
  }
  const examples = await takePendingExamples(env.CACHE, tenantId, classifierId, version);
  if (!examples) {
    await markVersionFailed(env.DB, tenantId, classifierId, version, 'the queued training set expired before it was trained');
    return;
  }
  let trained: TrainedClassifier;
  try {
    trained = await train(env, { kind: 'request', examples: async () => examples }, message.features);
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', classifier_id: classifierId, version, error: `training failed: ${String(error)}` }));
    await markVersionFailed(env.DB, tenantId, classifierId, version, `training failed: ${String(error)}`);
    await forgetPendingExamples(env.CACHE, tenantId, classifierId, version);
    return;
  }
  await markVersionReady(env, tenantId, classifierId, version, trained);
  await forgetPendingExamples(env.CACHE, tenantId, classifierId, version);
}

/** A training message that failed every retry (storage kept failing): its version is marked failed. */
export async function failTrainingMessage(env: Bindings, message: ClassifierTrainMessage): Promise<void> {
  await markVersionFailed(env.DB, message.tenantId, message.classifierId, message.version, 'training failed on every retry; train it again');
}
