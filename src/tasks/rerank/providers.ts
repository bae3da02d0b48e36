import { localEmbedder } from '../../providers/local/semantic';
import { z } from 'zod';
import { mapWithConcurrency } from '../../providers/concurrency';
import { hfBatchLimit, inBatches } from '../../providers/huggingface/batch';
import type { TaskProvider } from '../../providers/types';
import { malformedUpstreamResponse } from '../../providers/upstream-errors';
import { runWorkersAi } from '../../providers/workers-ai/transport';
import { LOCAL_RERANK_UNITS, LOCAL_RERANK_WEIGHTS, localRelevance } from './local-rerank';
import { unitsRead } from '../local-window';
import { HF_RERANK_MODEL, LOCAL_RERANK_MODEL, WORKERS_AI_RERANK_MODEL } from './models';
import { ranking, scoresByDocument, sigmoid, type RerankItem, type RerankOptions } from './ranking';
import type { RerankResult } from './schema';
import { huggingFaceRelevance } from './hf-rerank';

type Ranking = RerankResult[];

const UPSTREAM_CONCURRENCY = 4;

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

/**
 * `BAAI/bge-reranker-v2-m3` (or the tenant's cross-encoder) on Hugging Face, over either wire form
 * (hf-rerank.ts). An endpoint takes at most 32 texts per request by default (TEI), so the
 * documents go in chunks (in parallel); a cross-encoder scores each (query, document) pair on its
 * own, so scores from different chunks compare, and each chunk's scores come back in its order.
 */
export const huggingFaceRerank: TaskProvider<RerankItem, Ranking, RerankOptions> = {
  provider: 'huggingface',
  model: HF_RERANK_MODEL,
  run(call) {
    return mapWithConcurrency(call.items, 1, async ({ query, documents }) => {
      const scores = await inBatches(documents, (texts) => huggingFaceRelevance(call, query, texts), hfBatchLimit(call));
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
    const units = unitsRead(LOCAL_RERANK_UNITS, options);
    for (const { query, documents } of items) rankings.push(ranking(await localRelevance(query, documents, embedder, LOCAL_RERANK_WEIGHTS, units), options.top_k));
    return rankings;
  },
};
