import type { LocalEmbedder } from '../../providers/local/semantic';
import { cosineSimilarity } from '../../lib/vectors';
import { winkWindow } from '../../providers/local/bounds';
import { bm25Scores, winkTerms, type Bm25Parameters } from './bm25';

export interface LocalRerankWeights {
  /** Weight of the lexical BM25 score (scaled to 0–1 by the best document's score). */
  lexical: number;
  /** Weight of the word-vector cosine (negative cosines count as 0). */
  semantic: number;
}

/**
 * Chosen on eval/tasks/rerank.mjs (34 queries × 5 passages, recall@1; test/tasks/rerank.test.ts
 * prints the sweep): BM25 alone 21/34, word vectors alone 16/34, BM25 0.2–0.8 blended with word
 * vectors 20–21/34. The word vectors add no accuracy on that set (they catch almost none of its
 * paraphrases); they are kept at a small weight because they order the documents that share no
 * word with the query, which BM25 scores all 0.
 */
export const LOCAL_RERANK_WEIGHTS: LocalRerankWeights = { lexical: 0.8, semantic: 0.2 };

/**
 * Weak length normalisation: passages handed to a reranker are of similar, short length, and full
 * normalisation (b = 0.75) let short off-topic passages that share one word beat the answer:
 * 19/34 at b = 0.75, 21/34 at b = 0.3 on the same set.
 */
export const LOCAL_BM25: Bm25Parameters = { k1: 1.2, b: 0.3 };

/**
 * Work units (providers/local/bounds.ts) of the query and of each document that are read, ~1,600
 * characters of English, as a 512-token reranker reads the start of a long passage: a bound on
 * the work per request.
 */
export const LOCAL_RERANK_UNITS = 440;
/**
 * The work units one request's query and documents are read for in all (tasks/local-window.ts):
 * what keeps the model's work on the largest legal request within the CPU bound
 * (docs/security.md#bounded-work).
 */
export const LOCAL_RERANK_REQUEST_UNITS = 18_000;

/**
 * 0–1 relevance of each document to the query, in document order (relative within one request),
 * from the first `units` work units of each text: the window, or less when the request's texts
 * share its budget — and then the word vectors read only that part too.
 */
export async function localRelevance(query: string, documents: string[], embedder: LocalEmbedder, weights: LocalRerankWeights = LOCAL_RERANK_WEIGHTS, units = LOCAL_RERANK_UNITS): Promise<number[]> {
  const texts = units < LOCAL_RERANK_UNITS ? [query, ...documents].map((text) => winkWindow(text, units)) : [query, ...documents];
  const [queryTerms, ...documentTerms] = texts.map((text) => winkTerms(text, units));
  const lexical = bm25Scores(queryTerms!, documentTerms, LOCAL_BM25);
  const best = Math.max(0, ...lexical);
  const [queryVector, ...documentVectors] = embedder.embed(texts);
  const total = weights.lexical + weights.semantic;
  return documents.map((_, index) => {
    const lexicalScore = best > 0 ? lexical[index]! / best : 0;
    const semanticScore = Math.max(0, cosineSimilarity(queryVector!, documentVectors[index]!));
    return (weights.lexical * lexicalScore + weights.semantic * semanticScore) / total;
  });
}
