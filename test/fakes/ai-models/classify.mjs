// bge embedding models, as classify uses them: `{ text: string | string[] }` (≤100) →
// `{ shape: [n, dims], data: number[][], pooling }` (UPSTREAMS.md §1.2); `pooling: 'mean'|'cls'`, default mean.
// Vectors are a deterministic bag of words: each content word (lowercased, plural "s" dropped)
// adds to two hashed dimensions, mixed half and half with a shared direction. So texts sharing
// words are close, on the cosine scale of bge v1.5, and no vector is all zeros.

const STOPWORDS = new Set(['a', 'an', 'the', 'this', 'that', 'text', 'is', 'are', 'was', 'about', 'of', 'and', 'or', 'to', 'in', 'on', 'for', 'it', 'i', 'my', 'me', 'with']);

function hash(word) {
  let h = 2166136261;
  for (const char of word) h = Math.imul(h ^ char.codePointAt(0), 16777619);
  return h >>> 0;
}

/**
 * `pooling`: bge models pool token vectors by mean (Workers AI's default) or by the CLS token (the
 * BAAI sentence-transformers config, what TEI and HF serve); Cloudflare documents the two as
 * incompatible (workers-ai-models/bge-*.json, `pooling`). The stand-in keeps both meaningful
 * within themselves and unrelated to each other: CLS hashes words to other dimensions, so a text's
 * mean and CLS vectors sit at the shared direction's ~0.5 cosine, like unrelated texts.
 */
export function bagOfWordsVector(text, dims, pooling = 'mean') {
  const bag = new Array(dims - 1).fill(0);
  const words = String(text).toLowerCase().match(/\p{L}+/gu) ?? [];
  for (const raw of words) {
    if (STOPWORDS.has(raw)) continue;
    const word = raw.length > 3 && raw.endsWith('s') ? raw.slice(0, -1) : raw;
    // Two hashed slots per word, so one collision cannot make two different words identical.
    const salted = pooling === 'cls' ? `cls:${word}` : word;
    bag[hash(salted) % bag.length] += 1;
    bag[hash(`${salted}#`) % bag.length] += 1;
  }
  const norm = Math.hypot(...bag);
  if (norm === 0) return [1, ...bag];
  // Half shared direction, half words: unrelated texts land near 0.5 and related ones at 0.6–0.9,
  // the range bge v1.5 gives real sentences.
  const half = Math.SQRT1_2;
  return [half, ...bag.map((value) => Math.round(((half * value) / norm) * 1e6) / 1e6)];
}

function embeddingModel(dims) {
  return (inputs) => {
    const text = inputs?.text;
    const texts = typeof text === 'string' ? [text] : text;
    if (!Array.isArray(texts) || texts.length === 0 || texts.some((t) => typeof t !== 'string')) throw new Error('3003: Request is missing headers or body: text');
    if (texts.length > 100) throw new Error('5004: Invalid data: text must hold at most 100 items');
    const pooling = inputs.pooling ?? 'mean';
    if (pooling !== 'mean' && pooling !== 'cls') throw new Error('5004: Invalid data: pooling must be one of mean, cls');
    return { shape: [texts.length, dims], data: texts.map((t) => bagOfWordsVector(t, dims, pooling)), pooling };
  };
}

export const models = {
  '@cf/baai/bge-small-en-v1.5': embeddingModel(384),
  '@cf/baai/bge-base-en-v1.5': embeddingModel(768),
};
