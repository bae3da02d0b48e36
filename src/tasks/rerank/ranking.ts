import type { LocalReadShare } from '../local-window';
import { roundScore } from '../../lib/vectors';
import { malformedUpstreamResponse } from '../../providers/upstream-errors';
import type { RerankResult } from './schema';

/** The pipeline's item: one whole request (a ranking only means something over its documents). */
export interface RerankItem {
  query: string;
  documents: string[];
}

/** `top_k`, and the local tier's share of its request budget (tasks/local-window.ts). */
export interface RerankOptions extends LocalReadShare {
  top_k?: number;
}

/** Maps a raw logit to 0–1; bge rerankers are cross-encoders trained with a sigmoid on this logit. */
export const sigmoid = (logit: number) => 1 / (1 + Math.exp(-logit));

/** Scores in document order → best first (ties keep document order), cut to `topK`. */
export function ranking(scores: number[], topK?: number): RerankResult[] {
  const ranked = scores
    .map((score, index) => ({ index, score: roundScore(Math.min(1, Math.max(0, score))) }))
    .sort((a, b) => b.score - a.score || a.index - b.index);
  return topK === undefined ? ranked : ranked.slice(0, topK);
}

/**
 * Upstream `[{index, score}]` (any order, possibly cut) → a score per document. Every document
 * must be scored exactly once: a ranking with a hole cannot be trusted.
 */
export function scoresByDocument(provider: 'workers-ai' | 'huggingface', entries: { index: number; score: number }[], documents: number): number[] {
  const scores = new Array<number | undefined>(documents).fill(undefined);
  for (const { index, score } of entries) {
    if (index < 0 || index >= documents || scores[index] !== undefined) throw malformedUpstreamResponse(provider, `document index ${index} out of range or repeated`);
    scores[index] = score;
  }
  if (scores.some((score) => score === undefined)) throw malformedUpstreamResponse(provider, `${entries.length} scores for ${documents} documents`);
  return scores as number[];
}
