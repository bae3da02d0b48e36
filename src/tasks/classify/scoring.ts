import type { LabelScore } from './schema';

/**
 * Embedding providers compare a text with one short description per label; an NLI model is not
 * involved, so the cosine similarities are turned into scores here:
 *
 * - single-label: softmax(cosine / temperature) over the labels (the scores sum to 1);
 * - multi_label: sigmoid((cosine − center) / temperature) per label, independent of the others.
 *
 * `temperature` and `center` depend on the embedding model's similarity range (see the
 * calibrations in providers.ts). These are similarity-derived confidences, not probabilities.
 */
export interface SimilarityCalibration {
  /** Spread of cosines that separates a likely label from an unlikely one. */
  temperature: number;
  /** The cosine at which a label scores 0.5 in multi_label mode. */
  center: number;
}

/** How a label is described to an embedding model: picked on a dev set (local tier), see eval/tasks/classify.mjs. */
export const labelDescription = (label: string) => `This text is about ${label}.`;

export function scoresFromSimilarities(labels: string[], similarities: number[], calibration: SimilarityCalibration, multiLabel: boolean): LabelScore[] {
  const scaled = similarities.map((similarity) => similarity / calibration.temperature);
  let scores: number[];
  if (multiLabel) {
    const offset = calibration.center / calibration.temperature;
    scores = scaled.map((value) => 1 / (1 + Math.exp(-(value - offset))));
  } else {
    const max = Math.max(...scaled);
    const exps = scaled.map((value) => Math.exp(value - max));
    const sum = exps.reduce((total, value) => total + value, 0);
    scores = exps.map((value) => value / sum);
  }
  return rankLabels(labels.map((label, index) => ({ label, score: scores[index] ?? 0 })));
}

/** Best first; ties keep the (sorted) label order, so the answer never depends on request order. */
export function rankLabels(scores: LabelScore[]): LabelScore[] {
  return scores
    .map(({ label, score }) => ({ label, score: Math.round(Math.min(1, Math.max(0, score)) * 10_000) / 10_000 }))
    .sort((a, b) => b.score - a.score);
}

/**
 * A logistic model of "the top label is right" from what the similarities show: the top-two
 * margin, how alike the two leading label descriptions are (confusable labels), and the top
 * cosine. Fitted on the dev split of eval/tasks-hard/classify.mjs (support-ticket routing, six
 * confusable queues) by the script in docs/local-tier.md#calibration; p = sigmoid(w · x).
 */
export interface CorrectnessModel {
  intercept: number;
  /** Per 0.1 of top-two cosine margin. */
  margin: number;
  /** Cosine between the two leading label descriptions. */
  labelSimilarity: number;
  /** Per 0.2 of the top cosine. */
  topSimilarity: number;
}

export function probabilityTopIsRight(model: CorrectnessModel, similarities: number[], labelVectorCosine: (a: number, b: number) => number): number {
  const order = similarities.map((value, index) => [value, index] as const).sort((a, b) => b[0] - a[0]);
  const [first, second] = order;
  if (!first || !second) return 1;
  const z = model.intercept + model.margin * (first[0] - second[0]) * 10 + model.labelSimilarity * labelVectorCosine(first[1], second[1]) + model.topSimilarity * first[0] * 5;
  return 1 / (1 + Math.exp(-z));
}

/**
 * Single-label scores whose top equals `top` (a calibrated probability): the softmax of the
 * cosines at the temperature that gives the top label exactly that share, so the ranking and the
 * sum of 1 are kept. A top below 1/labels cannot be a softmax's top (equal scores would lose the
 * ranking), so it is clamped just above 1/labels.
 */
export function scoresWithTop(labels: string[], similarities: number[], top: number): LabelScore[] {
  const k = similarities.length;
  const target = Math.min(0.9999, Math.max(1 / k + 1e-3, top));
  const max = Math.max(...similarities);
  const topShare = (temperature: number) => 1 / similarities.reduce((sum, value) => sum + Math.exp((value - max) / temperature), 0);
  // topShare falls from 1 (T → 0) to 1/k (T → ∞): bisect on log T.
  let [low, high] = [-12, 6];
  for (let step = 0; step < 60; step++) {
    const mid = (low + high) / 2;
    if (topShare(Math.exp(mid)) > target) low = mid;
    else high = mid;
  }
  const temperature = Math.exp((low + high) / 2);
  const exps = similarities.map((value) => Math.exp((value - max) / temperature));
  const sum = exps.reduce((total, value) => total + value, 0);
  return rankLabels(labels.map((label, index) => ({ label, score: exps[index]! / sum })));
}
