// A naive retriever for `--check` only, NOT minnow: each document's rough plain text cut into
// windows of 80 words (stride 40), ranked by BM25 (k1 1.2, b 0.75) within one knowledge base. It runs the metric code end to
// end without a server and shows how far plain word matching gets on this set.
import { tokens } from './metrics.mjs';

export function windowBm25(documents, size = 80, stride = 40) {
  const chunks = [];
  for (const doc of documents) {
    const words = [...doc.plain.matchAll(/\S+/g)];
    for (let i = 0; i < words.length; i += stride) {
      const slice = words.slice(i, i + size);
      const start = slice[0].index;
      const end = slice.at(-1).index + slice.at(-1)[0].length;
      const text = doc.plain.slice(start, end);
      chunks.push({ eval_id: doc.id, title: doc.title, text, start, end, terms: tokens(`${doc.title} ${text}`) });
      if (i + size >= words.length) break;
    }
  }
  const df = new Map();
  for (const chunk of chunks) for (const term of new Set(chunk.terms)) df.set(term, (df.get(term) ?? 0) + 1);
  const avgdl = chunks.reduce((sum, chunk) => sum + chunk.terms.length, 0) / chunks.length;
  const idf = (term) => Math.log(1 + (chunks.length - (df.get(term) ?? 0) + 0.5) / ((df.get(term) ?? 0) + 0.5));

  return (query, topK) => {
    const terms = new Set(tokens(query));
    const scored = chunks.map((chunk) => {
      let score = 0;
      for (const term of terms) {
        const tf = chunk.terms.filter((t) => t === term).length;
        if (tf > 0) score += (idf(term) * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * chunk.terms.length) / avgdl));
      }
      return { ...chunk, score };
    });
    return scored.sort((a, b) => b.score - a.score).slice(0, topK);
  };
}

/** One windowBm25 index per knowledge base; `search(question, topK)` asks the question's own. */
export function offlineSearch(documents) {
  const indexes = new Map();
  for (const kb of new Set(documents.map((doc) => doc.kb))) indexes.set(kb, windowBm25(documents.filter((doc) => doc.kb === kb)));
  return (question, topK) => indexes.get(question.kb)(question.question, topK);
}
