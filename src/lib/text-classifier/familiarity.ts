import { cosineSimilarity, unitVector } from '../vectors';
import { knowsAnyWord, type LabelCentroids, type LinearModel } from './model';

/**
 * Does a text carry evidence this model was trained on? A linear model answers every text with
 * some label, and one trained on well-separated examples answers confidently: "I just got back
 * from a long walk by the river" → delivery 0.70 from a support-ticket classifier, because "i",
 * "got", "back", "from", "a" were seen and the character grams and biases do the rest. Two checks:
 *
 * 1. Some word of the text appeared in the examples (knowsAnyWord): none — gibberish, another
 *    language than theirs — and the answer rests on character grams alone.
 * 2. When the model has dense vectors (the local word vectors), the text's vector is about as
 *    close to the nearest label's centroid as the examples themselves are: at least the
 *    FAMILIAR_PERCENTILE-th percentile of the examples' own leave-one-out nearest-centroid
 *    similarities. A text that shares only common words with the examples ("The weather is lovely
 *    today") shares little of their meaning. The bar is each model's own, measured on its
 *    examples, not a constant tuned on English tickets; a text with no dense vector (no word the
 *    vectors know) is left to check 1.
 *
 * Chosen on the off-topic dev split only (eval/classifiers/off-topic-eval.mjs, docs/classifiers.md).
 */
export function carriesEvidence(model: LinearModel, text: string, dense?: Float32Array): boolean {
  if (!knowsAnyWord(model, text)) return false;
  if (!model.centroids || !dense || !isNonZero(dense)) return true;
  return nearestCentroidSimilarity(model.centroids, dense) >= model.centroids.minimumSimilarity;
}

/**
 * The percentile of the examples' own similarities a text must reach: the 1st, so about one
 * example in a hundred would itself fall below the bar. On the dev split (tickets 11–50, 26–50
 * and 41–50 of each intent against models on 1–10, 1–25 and 1–40) it capped 0.9–1.5% of in-domain
 * tickets and cut the off-topic texts answered ≥ 0.5 from 36 to 25 of 67 (25 examples per label);
 * the 2nd percentile capped up to 4.5% to catch 3–4 more, the 3rd and 5th more still.
 */
export const FAMILIAR_PERCENTILE = 1;

const isNonZero = (vector: Float32Array) => vector.some((value) => value !== 0);


/** The cosine of `dense` with the nearest label centroid (centroids are unit length or zero). */
export function nearestCentroidSimilarity(centroids: LabelCentroids, dense: Float32Array): number {
  const dims = dense.length;
  let best = -1;
  for (let offset = 0; offset + dims <= centroids.vectors.length; offset += dims) best = Math.max(best, cosineSimilarity(centroids.vectors.subarray(offset, offset + dims), dense));
  return best;
}


/**
 * The centroids of each label's dense vectors and the bar (FAMILIAR_PERCENTILE of the examples'
 * leave-one-out similarities: an example is compared with its own label's centroid without it, so
 * the bar is what an unseen ticket of the same kind reaches). `labels[i]` is example i's label
 * index. Undefined when no example has a non-zero vector (nothing to compare with).
 */
export function labelCentroids(dense: Float32Array[], labels: number[], labelCount: number): LabelCentroids | undefined {
  const dims = dense[0]?.length ?? 0;
  if (dims === 0) return undefined;
  const units = dense.map((vector) => unitVector(vector));
  const sums = Array.from({ length: labelCount }, () => new Float32Array(dims));
  units.forEach((vector, i) => vector.forEach((value, d) => (sums[labels[i]!]![d]! += value)));
  const vectors = new Float32Array(labelCount * dims);
  sums.forEach((sum, l) => vectors.set(unitVector(sum), l * dims));
  const similarities: number[] = [];
  units.forEach((vector, i) => {
    if (!isNonZero(vector)) return;
    const own = labels[i]!;
    let best = -1;
    for (let l = 0; l < labelCount; l++) {
      // Its own label's centroid without it (zero when it is the label's only vector: cosine 0).
      const centroid = l === own ? unitVector(sums[l]!.map((value, d) => value - vector[d]!)) : vectors.subarray(l * dims, (l + 1) * dims);
      best = Math.max(best, cosineSimilarity(centroid, vector));
    }
    similarities.push(best);
  });
  if (similarities.length === 0) return undefined;
  similarities.sort((a, b) => a - b);
  return { vectors, minimumSimilarity: similarities[Math.floor((FAMILIAR_PERCENTILE / 100) * (similarities.length - 1))]! };
}
