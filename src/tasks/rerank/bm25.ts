import { readBounded, stemOf, winkPipeline } from '../../providers/local/wink';

export interface Bm25Parameters {
  /** Term-frequency saturation. */
  k1: number;
  /** Document-length normalisation: 0 none, 1 full. */
  b: number;
}

/** The textbook constants (Robertson & Zaragoza). */
export const BM25_DEFAULTS: Bm25Parameters = { k1: 1.2, b: 0.75 };

/**
 * Index terms of a text: wink-nlp's tokens, words and numbers only, stop words dropped, Porter
 * stems ("refunds", "refunded" → "refund"), so matching survives inflection. Only the first
 * `maxUnits` work units (providers/local/bounds.ts) are read.
 */
export function winkTerms(text: string, maxUnits: number): string[] {
  const { its } = winkPipeline('tokens');
  const tokens = readBounded(text, maxUnits, 'tokens').tokens();
  const values = tokens.out() as string[];
  const types = tokens.out(its.type) as string[];
  const stops = tokens.out(its.stopWordFlag) as unknown as boolean[];
  const terms: string[] = [];
  values.forEach((value, index) => {
    if ((types[index] === 'word' || types[index] === 'number') && !stops[index]) terms.push(stemOf(value));
  });
  return terms;
}

/**
 * Okapi BM25 of the query against each document, with IDF over the request's own documents
 * (BM25+ style `ln(1 + …)`, so a term found in every document still counts a little).
 * 0 for a document sharing no term with the query.
 */
export function bm25Scores(queryTerms: string[], documents: string[][], { k1, b }: Bm25Parameters = BM25_DEFAULTS): number[] {
  const count = documents.length;
  if (count === 0) return [];
  const averageLength = documents.reduce((sum, terms) => sum + terms.length, 0) / count || 1;
  const frequencies = documents.map((terms) => {
    const tf = new Map<string, number>();
    for (const term of terms) tf.set(term, (tf.get(term) ?? 0) + 1);
    return tf;
  });
  const uniqueQuery = [...new Set(queryTerms)];
  const idf = new Map(
    uniqueQuery.map((term) => {
      const df = frequencies.filter((tf) => tf.has(term)).length;
      return [term, Math.log(1 + (count - df + 0.5) / (df + 0.5))] as const;
    }),
  );
  return frequencies.map((tf, index) => {
    const lengthNorm = k1 * (1 - b + (b * documents[index]!.length) / averageLength);
    return uniqueQuery.reduce((score, term) => {
      const f = tf.get(term) ?? 0;
      return f === 0 ? score : score + idf.get(term)! * ((f * (k1 + 1)) / (f + lengthNorm));
    }, 0);
  });
}
