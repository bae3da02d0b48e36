import { featurize, HASH_BITS, type SparseVector, tokenize, wordBucket } from './features';

/**
 * A trained linear classifier over hashed lexical features (features.ts): one weight per
 * (feature bucket seen in training, label) plus a bias per label. Logits are divided by the
 * temperature fitted on cross-validated predictions (train.ts), so the softmax is a calibrated
 * probability that each label is the right one.
 */
export interface LinearModel {
  labels: string[];
  /** Feature buckets seen in training, ascending; row r of `weights` belongs to buckets[r]. */
  buckets: Uint32Array;
  /** Row-major: weights[r * labels.length + l]. */
  weights: Float32Array;
  bias: Float32Array;
  temperature: number;
  /** Size of the dense sentence vector each text is given with (0: lexical features only). */
  denseDims: number;
  /** Length the dense vector is scaled to beside the unit-length lexical part (features.ts DENSE_WEIGHT when it was trained). */
  denseWeight: number;
  /**
   * The embedding model whose vectors the dense part was trained on, when it is a neural one
   * (`features: "neural"`): answering must embed with the same model. Absent: the local word vectors.
   */
  denseModel?: string;
  /**
   * Share of uniform probability mixed in after the temperature: 1 / (held-out predictions + 2),
   * so no answer is more certain than the cross-validation could show (18 examples all right in
   * cross-validation do not make a 0.999).
   */
  smoothing: number;
  /**
   * Where the examples lie in the dense space, for the familiarity check (familiarity.ts). Absent
   * in lexical-only models and in models trained before it was recorded: those answer as they did.
   */
  centroids?: LabelCentroids;
}

/**
 * Each label's centroid of its examples' unit dense vectors, and the least cosine a text's vector
 * must have with the nearest one: a low percentile of the examples' own (leave-one-out) nearest
 * similarities, so the bar is the model's, not a constant (familiarity.ts).
 */
export interface LabelCentroids {
  /** Row-major, one unit vector of `denseDims` per label (a label without a non-zero vector: all zeros). */
  vectors: Float32Array;
  minimumSimilarity: number;
}

/** Row of each bucket, built once per loaded model (binary search would do, a Map is faster per call). */
const rowsOf = new WeakMap<LinearModel, Map<number, number>>();

function rowIndex(model: LinearModel): Map<number, number> {
  let rows = rowsOf.get(model);
  if (!rows) {
    rows = new Map();
    model.buckets.forEach((bucket, row) => rows!.set(bucket, row));
    rowsOf.set(model, rows);
  }
  return rows;
}

/** Raw scores (before the temperature) of a featurised text. */
export function logitsOf(model: LinearModel, vector: SparseVector): Float64Array {
  const labels = model.labels.length;
  const logits = Float64Array.from(model.bias);
  const rows = rowIndex(model);
  vector.indices.forEach((bucket, i) => {
    const row = rows.get(bucket);
    if (row === undefined) return;
    const value = vector.values[i]!;
    const offset = row * labels;
    for (let l = 0; l < labels; l++) logits[l]! += value * model.weights[offset + l]!;
  });
  return logits;
}

export function softmax(logits: ArrayLike<number>, temperature = 1): number[] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]! / temperature);
  const exps = Array.from(logits, (value) => Math.exp(value / temperature - max));
  const sum = exps.reduce((total, value) => total + value, 0);
  return exps.map((value) => value / sum);
}

/**
 * Whether any word of `text` appeared in the training examples (its unigram bucket has weights).
 * A text with none — gibberish, another language than the examples', a topic they never touch —
 * is scored on character grams and biases alone, which a model trained on well-separated examples
 * turns into 0.95+ for some label: a confident answer with no evidence behind it. (A word whose
 * bucket another seen feature shares counts as seen: the check errs toward trusting the model.)
 */
export function knowsAnyWord(model: LinearModel, text: string): boolean {
  const rows = rowIndex(model);
  return tokenize(text).some((word) => rows.has(wordBucket(word)));
}

/** Calibrated probability of each label (in `model.labels` order) for one text and, if the model uses one, its dense vector. */
export function predict(model: LinearModel, text: string, dense?: Float32Array): number[] {
  return calibrated(model, logitsOf(model, featurize(text, model.denseDims > 0 ? dense : undefined, model.denseWeight)));
}

/** The model's probabilities from its raw scores: temperature, then smoothing. */
export function calibrated(model: Pick<LinearModel, 'temperature' | 'smoothing'>, logits: ArrayLike<number>): number[] {
  const share = model.smoothing / logits.length;
  return softmax(logits, model.temperature).map((p) => (1 - model.smoothing) * p + share);
}

/**
 * The stored form: weights quantised to int16 with one scale (ample for a linear model's
 * ranking and its calibrated probabilities — the round-trip test bounds the change), buckets as
 * uint32, both base64. About 2 bytes per (seen bucket × label).
 */
export interface StoredLinearModel {
  format: 1;
  hash_bits: number;
  labels: string[];
  temperature: number;
  smoothing: number;
  dense_dims: number;
  /** Absent in models stored before it was recorded: those were trained with 1. */
  dense_weight?: number;
  /** The neural embedding model of the dense part (absent: the local word vectors). */
  dense_model?: string;
  bias: number[];
  /** Label centroids of the dense vectors (float32, base64) and the familiarity bar; absent in models stored before them and lexical ones. */
  centroids?: { vectors: string; minimum_similarity: number };
  scale: number;
  buckets: string;
  weights: string;
}

const toBase64 = (bytes: Uint8Array) => {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
};
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
const bytesToBase64 = (array: Uint32Array | Float32Array) => toBase64(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));

export function serializeModel(model: LinearModel): StoredLinearModel {
  let largest = 0;
  for (const weight of model.weights) largest = Math.max(largest, Math.abs(weight));
  const scale = largest > 0 ? largest / 32767 : 1;
  const quantised = Int16Array.from(model.weights, (weight) => Math.round(weight / scale));
  return {
    format: 1,
    hash_bits: HASH_BITS,
    labels: model.labels,
    temperature: model.temperature,
    smoothing: model.smoothing,
    dense_dims: model.denseDims,
    dense_weight: model.denseWeight,
    ...(model.denseModel ? { dense_model: model.denseModel } : {}),
    bias: Array.from(model.bias),
    ...(model.centroids ? { centroids: { vectors: bytesToBase64(model.centroids.vectors), minimum_similarity: model.centroids.minimumSimilarity } } : {}),
    scale,
    buckets: bytesToBase64(model.buckets),
    weights: toBase64(new Uint8Array(quantised.buffer)),
  };
}

export function deserializeModel(stored: StoredLinearModel): LinearModel {
  if (stored.format !== 1 || stored.hash_bits !== HASH_BITS) throw new Error(`unsupported classifier model format ${stored.format}/${stored.hash_bits} bits`);
  const bucketBytes = fromBase64(stored.buckets);
  const weightBytes = fromBase64(stored.weights);
  const quantised = new Int16Array(weightBytes.buffer, weightBytes.byteOffset, weightBytes.byteLength / 2);
  return {
    labels: stored.labels,
    buckets: new Uint32Array(bucketBytes.buffer, bucketBytes.byteOffset, bucketBytes.byteLength / 4),
    weights: Float32Array.from(quantised, (value) => value * stored.scale),
    bias: Float32Array.from(stored.bias),
    temperature: stored.temperature,
    smoothing: stored.smoothing,
    denseDims: stored.dense_dims,
    denseWeight: stored.dense_weight ?? 1,
    ...(stored.dense_model ? { denseModel: stored.dense_model } : {}),
    ...(stored.centroids ? { centroids: readCentroids(stored.centroids) } : {}),
  };
}

function readCentroids(stored: NonNullable<StoredLinearModel['centroids']>): LabelCentroids {
  const bytes = fromBase64(stored.vectors);
  return { vectors: new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), minimumSimilarity: stored.minimum_similarity };
}
