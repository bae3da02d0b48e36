import { DENSE_WEIGHT, featurize, type SparseVector } from './features';
import { labelCentroids } from './familiarity';
import { type LinearModel, logitsOf, softmax } from './model';

/**
 * Training a tenant's classifier: multinomial logistic regression on the hashed lexical features,
 * fitted by AdaGrad SGD with L2 shrinkage, k times in k-fold cross-validation (each example scored
 * by a model that never saw it). The model the tenant gets is the average of those k fold models
 * (one linear model: their weights averaged), calibrated by temperature scaling on their
 * out-of-fold predictions. So the calibration is fitted to the very models that answer, not to
 * weaker stand-ins for a separate final fit that would be more confident than its calibration
 * knows; the average is a small ensemble, and there is no (k + 1)th fit to pay for. The same
 * out-of-fold predictions give the reported accuracy and per-label precision/recall, so the
 * metrics describe the model the tenant gets, not its fit to its own training set.
 *
 * CPU is bounded by the example count (≤ MAX_TRAINING_EXAMPLES): k fits (k = 5, or 3 above 1,000
 * examples) of 4–12 passes, each touching every example's ~100–300 non-zero features × the
 * labels still being learnt. Measured in docs/classifiers.md.
 */
export const MAX_TRAINING_EXAMPLES = 5_000;
/** Passes over the data: 12 for small sets, fewer as sets grow (more updates per pass), at least 4. */
const epochsFor = (examples: number) => Math.max(4, Math.min(12, Math.round(6_000 / examples)));
/** A label whose gradient is this small for an example has nothing to learn from it: skipped (most labels, once a set of many labels is half-learnt). */
const NEGLIGIBLE_GRADIENT = 1e-3;
const LEARNING_RATE = 0.2;
/** L2 strength per update, scaled by the feature value: keeps rare features from dominating. */
const L2 = 1e-4;
/** 5-fold cross-validation up to 1,000 examples, 3-fold above (each fold is a whole training run, and one of the models averaged). */
const foldsFor = (examples: number) => (examples <= 1_000 ? 5 : 3);

export interface Example {
  text: string;
  label: string;
}

export interface LabelMetrics {
  precision: number;
  recall: number;
  examples: number;
}

export interface TrainingMetrics {
  cross_validated_accuracy: number;
  /** k of the k-fold cross-validation the metrics come from. */
  folds: number;
  per_label: Record<string, LabelMetrics>;
}

export interface TrainedClassifier {
  model: LinearModel;
  metrics: TrainingMetrics;
}

interface Featurised {
  vector: SparseVector;
  label: number;
}

/** A small seeded PRNG (mulberry32): the same examples always train the same model. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Fits the weights on `data` (labels are indices into `labels`); temperature 1 until calibrated. */
function fit(data: Featurised[], labels: string[], seed: number, denseDims: number): LinearModel {
  const L = labels.length;
  const rowOf = new Map<number, number>();
  for (const { vector } of data) for (const bucket of vector.indices) if (!rowOf.has(bucket)) rowOf.set(bucket, rowOf.size);
  const buckets = Uint32Array.from([...rowOf.keys()].sort((a, b) => a - b));
  buckets.forEach((bucket, row) => rowOf.set(bucket, row));
  const weights = new Float32Array(buckets.length * L);
  const squared = new Float32Array(buckets.length * L);
  const bias = new Float32Array(L);
  const biasSquared = new Float32Array(L);
  const rows = data.map(({ vector }) => Uint32Array.from(vector.indices, (bucket) => rowOf.get(bucket)!));
  const next = random(seed);
  const order = data.map((_, index) => index);
  const probabilities = new Float64Array(L);
  for (let epoch = 0, epochs = epochsFor(data.length); epoch < epochs; epoch++) {
    for (const index of shuffled(order, next)) {
      const { vector, label } = data[index]!;
      const row = rows[index]!;
      probabilities.set(bias);
      for (let i = 0; i < row.length; i++) {
        const offset = row[i]! * L;
        const value = vector.values[i]!;
        for (let l = 0; l < L; l++) probabilities[l]! += value * weights[offset + l]!;
      }
      let max = -Infinity;
      for (let l = 0; l < L; l++) max = Math.max(max, probabilities[l]!);
      let sum = 0;
      for (let l = 0; l < L; l++) sum += probabilities[l] = Math.exp(probabilities[l]! - max);
      for (let l = 0; l < L; l++) {
        const gradient = probabilities[l]! / sum - (l === label ? 1 : 0);
        if (Math.abs(gradient) < NEGLIGIBLE_GRADIENT) continue;
        biasSquared[l]! += gradient * gradient;
        bias[l]! -= (LEARNING_RATE * gradient) / Math.sqrt(biasSquared[l]! + 1e-8);
        for (let i = 0; i < row.length; i++) {
          const at = row[i]! * L + l;
          const g = gradient * vector.values[i]! + L2 * weights[at]!;
          squared[at]! += g * g;
          weights[at]! -= (LEARNING_RATE * g) / Math.sqrt(squared[at]! + 1e-8);
        }
      }
    }
  }
  return { labels, buckets, weights, bias, temperature: 1, smoothing: 0, denseDims, denseWeight: DENSE_WEIGHT };
}

/**
 * The average of the fold models as one linear model: a bucket a fold never saw weighs 0 in that
 * fold. Every example is in k - 1 folds' training sets, so the buckets are those of the whole set.
 */
function averageModels(models: LinearModel[]): LinearModel {
  const L = models[0]!.labels.length;
  const seen = new Set<number>();
  for (const model of models) for (const bucket of model.buckets) seen.add(bucket);
  const buckets = Uint32Array.from([...seen].sort((a, b) => a - b));
  const rowOf = new Map<number, number>();
  buckets.forEach((bucket, row) => rowOf.set(bucket, row));
  const weights = new Float32Array(buckets.length * L);
  const bias = new Float32Array(L);
  for (const model of models) {
    model.buckets.forEach((bucket, row) => {
      const offset = rowOf.get(bucket)! * L;
      for (let l = 0; l < L; l++) weights[offset + l]! += model.weights[row * L + l]! / models.length;
    });
    for (let l = 0; l < L; l++) bias[l]! += model.bias[l]! / models.length;
  }
  return { ...models[0]!, buckets, weights, bias };
}

/** Stratified folds: each label's examples dealt round-robin (after a seeded shuffle) over k folds. */
function foldsOf(data: Featurised[], k: number, seed: number): number[] {
  const fold = new Array<number>(data.length);
  const next = random(seed);
  const byLabel = new Map<number, number[]>();
  data.forEach(({ label }, index) => byLabel.set(label, [...(byLabel.get(label) ?? []), index]));
  for (const indices of byLabel.values()) shuffled(indices, next).forEach((index, position) => (fold[index] = position % k));
  return fold;
}

/** The temperature that minimises the negative log-likelihood of the held-out predictions (golden-section search on ln T). */
function fitTemperature(heldOut: { logits: Float64Array; label: number }[]): number {
  const nll = (logT: number) => heldOut.reduce((sum, { logits, label }) => sum - Math.log(Math.max(1e-12, softmax(logits, Math.exp(logT))[label]!)), 0);
  let [low, high] = [Math.log(0.05), Math.log(20)];
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let step = 0; step < 40; step++) {
    const a = high - ratio * (high - low);
    const b = low + ratio * (high - low);
    if (nll(a) < nll(b)) high = b;
    else low = a;
  }
  return Math.exp((low + high) / 2);
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * Trains on the examples (already validated: 2+ labels, 3+ examples each, no text under two
 * labels). `dense`, when given, is each example's sentence vector (same order), and the model
 * then expects one with every text it scores. Labels are sorted, so the same set always gives
 * the same model.
 */
export function trainClassifier(examples: Example[], dense?: Float32Array[], seed = 14): TrainedClassifier {
  const labels = [...new Set(examples.map((example) => example.label))].sort();
  const labelIndex = new Map(labels.map((label, index) => [label, index]));
  const denseDims = dense?.[0]?.length ?? 0;
  const data = examples.map(({ text, label }, index) => ({ vector: featurize(text, dense?.[index]), label: labelIndex.get(label)! }));
  const counts = labels.map((_, index) => data.filter((example) => example.label === index).length);
  const k = Math.max(2, Math.min(foldsFor(data.length), ...counts));
  const fold = foldsOf(data, k, seed);

  const heldOut: { logits: Float64Array; label: number }[] = [];
  const foldModels: LinearModel[] = [];
  for (let f = 0; f < k; f++) {
    const model = fit(data.filter((_, index) => fold[index] !== f), labels, seed + f + 1, denseDims);
    foldModels.push(model);
    data.forEach((example, index) => {
      if (fold[index] === f) heldOut.push({ logits: logitsOf(model, example.vector), label: example.label });
    });
  }

  const predicted = heldOut.map(({ logits }) => logits.indexOf(Math.max(...logits)));
  const correct = predicted.filter((label, i) => label === heldOut[i]!.label).length;
  const per_label: Record<string, LabelMetrics> = {};
  labels.forEach((name, l) => {
    const truePositives = predicted.filter((label, i) => label === l && heldOut[i]!.label === l).length;
    const predictedAs = predicted.filter((label) => label === l).length;
    per_label[name] = { precision: predictedAs === 0 ? 0 : round(truePositives / predictedAs), recall: round(truePositives / counts[l]!), examples: counts[l]! };
  });

  const model = averageModels(foldModels);
  model.temperature = fitTemperature(heldOut);
  model.smoothing = 1 / (heldOut.length + 2);
  const centroids = dense ? labelCentroids(dense, data.map((example) => example.label), labels.length) : undefined;
  if (centroids) model.centroids = centroids;
  return { model, metrics: { cross_validated_accuracy: round(correct / heldOut.length), folds: k, per_label } };
}
