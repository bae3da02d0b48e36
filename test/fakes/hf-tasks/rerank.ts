import { relevanceLogit } from '../ai-models/rerank.mjs';
import { ok, teiBatchTooLarge, type HfReply, type HfTaskHandler } from './types';

const validation = (error: string): HfReply => ({ status: 422, body: { error, error_type: 'Validation' } });

/**
 * text-embeddings-inference rerank (UPSTREAMS.md §2.4): `{query, texts, raw_scores, truncate?}` →
 * `[{index, score}]`, best first; sigmoid scores unless `raw_scores` (then logits). TEI's errors:
 * `{error, error_type}`, 422 for validation; more than 32 texts → TEI's batch-size 413.
 */
export const rerank: HfTaskHandler = {
  task: 'rerank',
  models: ['BAAI/bge-reranker-v2-m3', 'acme/reranker-legal'],
  handle(body) {
    const { query, texts, raw_scores: raw } = body as { query?: unknown; texts?: unknown; raw_scores?: unknown };
    if (typeof query !== 'string' || query.length === 0) return validation('`query` must be a non-empty string');
    if (!Array.isArray(texts) || texts.length === 0 || texts.some((text) => typeof text !== 'string')) return validation('`texts` cannot be empty');
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
