import { localEmbedder } from '../../providers/local/semantic';
import { z } from 'zod';
import { mapWithConcurrency } from '../../providers/concurrency';
import { hfBatchLimit, inBatches } from '../../providers/huggingface/batch';
import type { TaskProvider } from '../../providers/types';
import { malformedUpstreamResponse } from '../../providers/upstream-errors';
import { runWorkersAi } from '../../providers/workers-ai/transport';
import { localRelevance } from './local-rerank';
import { HF_RERANK_MODEL, LOCAL_RERANK_MODEL, WORKERS_AI_RERANK_MODEL } from './models';
import { ranking, sigmoid, type RerankItem, type RerankOptions } from './ranking';
import type { RerankResult } from './schema';
import { teiRerank } from './tei-rerank';

type Ranking = RerankResult[];

const UPSTREAM_CONCURRENCY = 4;

/**
 * Upstream `[{index, score}]` (any order, possibly cut) → a score per document. Every document
 * must be scored exactly once: a ranking with a hole cannot be trusted.
 */
function scoresByDocument(provider: 'workers-ai' | 'huggingface', entries: { index: number; score: number }[], documents: number): number[] {
  const scores = new Array<number | undefined>(documents).fill(undefined);
  for (const { index, score } of entries) {
    if (index < 0 || index >= documents || scores[index] !== undefined) throw malformedUpstreamResponse(provider, `document index ${index} out of range or repeated`);
    scores[index] = score;
  }
  if (scores.some((score) => score === undefined)) throw malformedUpstreamResponse(provider, `${entries.length} scores for ${documents} documents`);
  return scores as number[];
}

const workersAiRanking = z.object({ response: z.array(z.object({ id: z.number().int(), score: z.number().finite() })) });

/**
 * `@cf/baai/bge-reranker-base`: `{query, contexts: [{text}]}` → `{response: [{id, score}]}`.
 * `top_k` is not sent: every document is scored, the cut happens here, the same on every provider.
 * The scores are the cross-encoder's raw logits (UPSTREAMS.md §4.5); a sigmoid maps them to 0–1.
 */
export const workersAiRerank: TaskProvider<RerankItem, Ranking, RerankOptions> = {
  provider: 'workers-ai',
  model: WORKERS_AI_RERANK_MODEL,
  run(call) {
    return mapWithConcurrency(call.items, UPSTREAM_CONCURRENCY, async ({ query, documents }) => {
      const parsed = workersAiRanking.safeParse(await runWorkersAi(call, { query, contexts: documents.map((text) => ({ text })) }));
      if (!parsed.success) throw malformedUpstreamResponse('workers-ai', 'expected {response: [{id, score}]}');
      const logits = scoresByDocument('workers-ai', parsed.data.response.map(({ id, score }) => ({ index: id, score })), documents.length);
      return ranking(logits.map(sigmoid), call.options.top_k);
    });
  },
};

const teiRanking = z.array(z.object({ index: z.number().int(), score: z.number().min(0).max(1) }));

/**
 * TEI rerank: `{query, texts, raw_scores: false}` → `[{index, score}]`, scores already 0–1 (TEI
 * applies the sigmoid). TEI takes at most 32 texts per request by default, so the documents go in
 * chunks (in parallel); a cross-encoder scores each (query, document) pair on its own, so scores
 * from different chunks compare, and each chunk's indexes are shifted back to the request's.
 */
export const huggingFaceRerank: TaskProvider<RerankItem, Ranking, RerankOptions> = {
  provider: 'huggingface',
  model: HF_RERANK_MODEL,
  run(call) {
    return mapWithConcurrency(call.items, 1, async ({ query, documents }) => {
      const scores = await inBatches(documents, async (texts) => {
        const parsed = teiRanking.safeParse(await teiRerank(call, { query, texts, raw_scores: false, truncate: true }));
        if (!parsed.success) throw malformedUpstreamResponse('huggingface', 'expected [{index, score}] with scores in 0–1');
        return scoresByDocument('huggingface', parsed.data, texts.length);
      }, hfBatchLimit(call));
      return ranking(scores, call.options.top_k);
    });
  },
};

export const localRerank: TaskProvider<RerankItem, Ranking, RerankOptions> = {
  provider: 'local',
  model: LOCAL_RERANK_MODEL,
  async run({ env, items, options }) {
    const embedder = await localEmbedder(env);
    const rankings: Ranking[] = [];
    for (const { query, documents } of items) rankings.push(ranking(await localRelevance(query, documents, embedder), options.top_k));
    return rankings;
  },
};
