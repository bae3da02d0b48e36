// The hit test and the metrics. A search result HITS a question when
//   1. it comes from the question's labelled document, and
//   2. its text contains at least half of the labelled passage's words as one contiguous run:
//      the longest run of consecutive passage tokens that also occurs consecutively in the result
//      text is >= ceil(MIN_SHARE × passage tokens).
// Tokens are lower-cased letter/digit runs, so whitespace, punctuation and markup the server's
// cleaning changes or drops do not matter, and a chunk boundary cutting the passage still counts if
// the chunk keeps half of it. The loader checks that no other part of the labelled document shares
// that much with the passage, so a hit always means the chunk overlaps the passage itself.

export const MIN_SHARE = 0.5;

/** Lower-cased letter/digit runs: what the hit test and the word counts compare. */
export const tokens = (text) => text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/** Length of the longest run of tokens occurring consecutively in both arrays. */
export function longestCommonRun(a, b) {
  let best = 0;
  let previous = new Array(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      if (a[i - 1] === b[j - 1]) best = Math.max(best, (current[j] = previous[j - 1] + 1));
    }
    previous = current;
  }
  return best;
}

/** `result.eval_id` is the dataset id of the result's document (run.mjs maps server ids to it). */
export function isHit(result, question) {
  if (result.eval_id !== question.document) return false;
  const passage = tokens(question.passage);
  return longestCommonRun(passage, tokens(result.text ?? '')) >= Math.ceil(MIN_SHARE * passage.length);
}

/** Ranks (1-based, null when absent) of the first passage hit and of the first result from the labelled document. */
export function judge(results, question) {
  const hit = results.findIndex((result) => isHit(result, question));
  const doc = results.findIndex((result) => result.eval_id === question.document);
  return { rank: hit < 0 ? null : hit + 1, docRank: doc < 0 ? null : doc + 1 };
}

/** recall@1/3/5 and MRR@10 on passage hits, recall@5 on the document alone, over judged questions. */
export function summarize(judged) {
  const n = judged.length;
  const share = (ok) => judged.filter(ok).length / n;
  return {
    queries: n,
    r1: share((j) => j.rank !== null && j.rank <= 1),
    r3: share((j) => j.rank !== null && j.rank <= 3),
    r5: share((j) => j.rank !== null && j.rank <= 5),
    mrr10: judged.reduce((sum, j) => sum + (j.rank !== null && j.rank <= 10 ? 1 / j.rank : 0), 0) / n,
    docR5: share((j) => j.docRank !== null && j.docRank <= 5),
  };
}
