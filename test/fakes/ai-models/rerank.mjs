// `@cf/baai/bge-reranker-base` stand-in (UPSTREAMS.md §1.2): `{ query, contexts: [{text}], top_k? }`
// → `{ response: [{ id, score }] }`, best first, the scores raw logits (§4.5: not 0–1).
import { cosine, standInVector } from './embed.mjs';

/** Stand-in vectors put unrelated texts near cosine 0.5: centre the logit there. */
export const relevanceLogit = (query, text) => Math.round(16 * (cosine(standInVector(query, 256), standInVector(text, 256)) - 0.6) * 1e4) / 1e4;

export const models = {
  '@cf/baai/bge-reranker-base': (inputs) => {
    if (typeof inputs?.query !== 'string' || inputs.query.length === 0) throw new Error('3003: Request is missing headers or body: query');
    if (!Array.isArray(inputs.contexts) || inputs.contexts.length === 0 || inputs.contexts.some((c) => typeof c?.text !== 'string')) {
      throw new Error('3003: Request is missing headers or body: contexts');
    }
    const response = inputs.contexts.map((context, id) => ({ id, score: relevanceLogit(inputs.query, context.text) })).sort((a, b) => b.score - a.score);
    return { response: inputs.top_k ? response.slice(0, inputs.top_k) : response };
  },
};
