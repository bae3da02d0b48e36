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
