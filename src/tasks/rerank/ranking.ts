import { roundScore } from '../../lib/vectors';
import type { RerankResult } from './schema';

/** The pipeline's item: one whole request (a ranking only means something over its documents). */
export interface RerankItem {
  query: string;
  documents: string[];
}

export interface RerankOptions {
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
