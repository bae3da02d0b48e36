/**
 * Lexical features for the tenant-trained classifiers: word unigrams and bigrams plus character
 * 3- and 4-grams of each word (which carry morphology and typos: "refund"/"refunded"/"refnd"),
 * hashed into a fixed space of 2^18 buckets (the hashing trick: no vocabulary to store, unseen
 * words cost nothing). Values are sublinear counts (1 + ln tf), each feature family scaled so
 * words, bigrams and character grams weigh alike, then L2-normalised so text length does not
 * move the scores.
 */
export const HASH_BITS = 18;
const HASH_MASK = (1 << HASH_BITS) - 1;

/** A sparse feature vector: bucket indices (ascending, unique) and their values. */
export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

/** Longest text that is featurised, in characters: the classify route's own bound. */
export const MAX_FEATURISED_CHARS = 2_000;

/** FNV-1a, 32 bits: fast, stable across runtimes (the stored model depends on it never changing). */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Lower-cased word tokens (letters, digits, inner apostrophes); accents folded, so "résumé" = "resume". */
export function tokenize(text: string): string[] {
  const folded = text.slice(0, MAX_FEATURISED_CHARS).normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  return folded.match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
}

/** The bucket a word's unigram feature falls in (what `lexicalFeatures` hashes for it). */
export const wordBucket = (word: string) => fnv1a(`w:${word}`) & HASH_MASK;

const FAMILY_WEIGHT = { word: 1, bigram: 0.8, char: 0.6 } as const;

/**
 * Where a dense sentence vector's dimensions go: after the hashed buckets, so one sparse vector
 * holds both and the linear model needs no second kind of weight.
 */
const DENSE_OFFSET = 1 << HASH_BITS;

/**
 * Length of the dense sentence vector beside the unit-length lexical part in new versions: 0.7,
 * chosen on the dev protocol (docs/classifiers.md, "How the settings were chosen"). Versions
 * trained before it used 1; a model records its own (LinearModel.denseWeight).
 */
export const DENSE_WEIGHT = 0.7;

/**
 * The feature vector of one text: the lexical part (unit length), plus, when given, a dense
 * sentence vector (the local tier's word-vector embedding) scaled to length `denseWeight`.
 * A text with no letters or digits and no dense vector is the empty vector.
 */
export function featurize(text: string, dense?: Float32Array, denseWeight = DENSE_WEIGHT): SparseVector {
  const lexical = lexicalFeatures(text);
  if (!dense || dense.length === 0) return lexical;
  let norm = 0;
  for (const value of dense) norm += value * value;
  if (norm === 0) return lexical;
  const scale = denseWeight / Math.sqrt(norm);
  const indices = new Uint32Array(lexical.indices.length + dense.length);
  const values = new Float32Array(indices.length);
  indices.set(lexical.indices);
  values.set(lexical.values);
  dense.forEach((value, d) => {
    indices[lexical.indices.length + d] = DENSE_OFFSET + d;
    values[lexical.indices.length + d] = value * scale;
  });
  return { indices, values };
}

function lexicalFeatures(text: string): SparseVector {
  const counts = new Map<number, number>();
  const families: [keyof typeof FAMILY_WEIGHT, string[]][] = [];
  const words = tokenize(text);
  families.push(['word', words.map((word) => `w:${word}`)]);
  families.push(['bigram', words.slice(1).map((word, index) => `b:${words[index]} ${word}`)]);
  const grams: string[] = [];
  for (const word of words) {
    const padded = `<${word}>`;
    for (const n of [3, 4]) for (let start = 0; start + n <= padded.length; start++) grams.push(`c:${padded.slice(start, start + n)}`);
  }
  families.push(['char', grams]);
  for (const [family, features] of families) {
    if (features.length === 0) continue;
    const tf = new Map<number, number>();
    for (const feature of features) {
      const bucket = fnv1a(feature) & HASH_MASK;
      tf.set(bucket, (tf.get(bucket) ?? 0) + 1);
    }
    // Each family is normalised on its own first, so 60 character grams do not drown 10 words.
    let norm = 0;
    const scaled = [...tf].map(([bucket, count]) => {
      const value = 1 + Math.log(count);
      norm += value * value;
      return [bucket, value] as const;
    });
    const scale = FAMILY_WEIGHT[family] / Math.sqrt(norm);
    for (const [bucket, value] of scaled) counts.set(bucket, (counts.get(bucket) ?? 0) + value * scale);
  }
  const indices = Uint32Array.from([...counts.keys()].sort((a, b) => a - b));
  const values = new Float32Array(indices.length);
  let norm = 0;
  indices.forEach((bucket, i) => {
    values[i] = counts.get(bucket)!;
    norm += values[i]! * values[i]!;
  });
  if (norm > 0) for (let i = 0; i < values.length; i++) values[i]! /= Math.sqrt(norm);
  return { indices, values };
}
