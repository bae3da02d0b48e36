/** How a search ranks: BM25 keywords, vector similarity, or both fused (the default). */
export const SEARCH_MODES = ['hybrid', 'vector', 'keyword'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

/** One retrieved chunk of a document, with where it sits in the document's cleaned text. */
export interface Passage {
  kb_id: string;
  document_id: string;
  title: string;
  url: string | null;
  text: string;
  /** Fused rank score, 0–1 within one search (1 = best); not comparable across searches. */
  score: number;
  /** Cosine similarity of the chunk to the query (−1–1), when the vector side found it; else null. */
  similarity: number | null;
  start: number;
  end: number;
  metadata: Record<string, string | number | boolean>;
}

export interface SearchRequest {
  kbIds: string[];
  query: string;
  topK: number;
  /** Exact-match filter on document metadata (and `document_id`); every key must match. */
  filter?: Record<string, string | number | boolean>;
  mode?: SearchMode;
}
