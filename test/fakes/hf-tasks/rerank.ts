import { relevanceLogit } from '../ai-models/rerank.mjs';
import { axumJsonRejection, ok, teiBatchTooLarge, type HfTaskHandler } from './types';

/**
 * text-embeddings-inference rerank (UPSTREAMS.md §2.4; TEI router/src/http/server.rs `rerank`, a
 * reranker model answers it at `/`): `{query, texts, raw_scores, truncate?}` → `[{index, score}]`,
 * best first; sigmoid scores unless `raw_scores` (then logits). Served at `/endpoints/rerank/…`
 * (an endpoint). Refusals as TEI's: a body without `query`/`texts` (such as text-classification's
 * `{inputs}`) is axum's 422 plain-text rejection; empty `texts` is 400 `error_type: "Empty"`; more
 * than 32 texts is the batch-size refusal (422, types.ts).
 */
export const rerank: HfTaskHandler = {
  task: 'rerank',
  models: [],
  handle(body) {
    const { query, texts, raw_scores: raw } = body as { query?: unknown; texts?: unknown; raw_scores?: unknown };
    if (typeof query !== 'string') return axumJsonRejection('missing field `query` at line 1 column 1');
    if (!Array.isArray(texts) || texts.some((text) => typeof text !== 'string')) return axumJsonRejection('missing field `texts` at line 1 column 1');
    if (texts.length === 0) return { status: 400, body: { error: '`texts` cannot be empty', error_type: 'Empty' } };
    const tooLarge = teiBatchTooLarge(texts.length);
    if (tooLarge) return tooLarge;
    const ranked = texts
      .map((text: string, index) => {
        const logit = relevanceLogit(query, text);
        return { index, score: Math.round((raw ? logit : 1 / (1 + Math.exp(-logit))) * 1e6) / 1e6 };
      })
      .sort((a, b) => b.score - a.score);
    return ok(ranked);
  },
};
