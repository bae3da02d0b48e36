/** Words too common to say anything about which passage answers a question. */
const STOPWORDS = new Set(
  'a an and are as at be but by can could did do does for from had has have how i if in is it its me my no not of on or our so that the their them then there these they this to too us was we were what when where which who why will with would you your'.split(' '),
);

/** Longest keyword query: FTS5 cost grows with terms; a question has a handful that matter. */
const MAX_TERMS = 24;

/**
 * A user's question as an FTS5 query: its distinct words (stopwords dropped), each quoted so no
 * FTS5 syntax in the input (`NEAR`, `*`, `"`, column filters) is ever interpreted, joined with OR
 * so BM25 ranks passages by how many of them they hold. Null when nothing is left to match.
 */
export function keywordQuery(question: string): string | null {
  const words = question.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  const terms = [...new Set(words.filter((word) => word.length > 1 && !STOPWORDS.has(word)))].slice(0, MAX_TERMS);
  if (terms.length === 0) return null;
  return terms.map((term) => `"${term}"`).join(' OR ');
}
