// SIF sentence embeddings (Arora, Liang & Ma, ICLR 2017, "A Simple but Tough-to-Beat Baseline for
// Sentence Embeddings"): weight each word by a / (a + p(w)), sum, then remove the projection on
// the common component. Weights and component come precomputed in the artifact.
import type { WordVectors } from './artifact';

export interface SentenceOptions {
  /** 'sif': a / (a + p(w)); 'uniform': plain average of word vectors (kept for comparison). */
  readonly weighting: 'sif' | 'uniform';
  readonly removeCommonComponent: boolean;
}

export const SIF: SentenceOptions = { weighting: 'sif', removeCommonComponent: true };

/**
 * Unit-length sentence vector from vocabulary rows. No rows → the zero vector, so that cosine()
 * against it is 0 rather than NaN and callers can tell "nothing known" apart by its norm.
 */
export function sentenceEmbedding(
  vectors: WordVectors,
  rows: readonly number[],
  options: SentenceOptions = SIF,
): Float32Array {
  const { dims } = vectors;
  // A sum, not a mean: the result is normalized, and removing a projection is linear, so the
  // 1/n of the paper's average changes nothing.
  const sum = new Float64Array(dims);
  for (const row of rows) {
    vectors.accumulate(row, options.weighting === 'sif' ? (vectors.weights[row] ?? 1) : 1, sum);
  }
  if (options.removeCommonComponent) {
    const u = vectors.commonComponent;
    let projection = 0;
    for (let i = 0; i < dims; i++) projection += (sum[i] ?? 0) * (u[i] ?? 0);
    for (let i = 0; i < dims; i++) sum[i] = (sum[i] ?? 0) - projection * (u[i] ?? 0);
  }
  let norm = 0;
  for (let i = 0; i < dims; i++) norm += (sum[i] ?? 0) ** 2;
  norm = Math.sqrt(norm);
  const out = new Float32Array(dims);
  if (norm < 1e-9) return out;
  for (let i = 0; i < dims; i++) out[i] = (sum[i] ?? 0) / norm;
  return out;
}
