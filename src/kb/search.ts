import type { TaskContext } from '../pipeline/context';
import { runTask } from '../pipeline/run-task';
import { stepContext } from '../pipeline/step-context';
import { chunksWithDocuments, keywordMatches } from '../storage/kb-chunks';
import { findKnowledgeBases, type KnowledgeBase } from '../storage/knowledge-bases';
import type { RerankResult } from '../tasks/rerank/schema';
import { rerankTask } from '../tasks/rerank/task';
import { embedTexts } from './embed-texts';
import { keywordQuery } from './keyword-query';
import type { Passage, SearchRequest } from './types';
import { vectorStoreFor } from './vector-store';

/** Reciprocal-rank fusion constant: the usual 60 keeps one list's top hit from drowning the other's. */
const RRF_K = 60;
/** Candidates each side contributes before fusion. */
const CANDIDATES = 50;

type RankedList = { id: string; similarity?: number }[];
interface WeightedList {
  entries: RankedList;
  weight: number;
}

/**
 * How much a vector ranking counts in the fusion, against BM25's 1. The local word-vector model is
 * lexical (averaged word vectors) and weaker than BM25 at ranking passages, so its ranking breaks
 * ties and rescues paraphrases rather than leading; neural embeddings count fully. Measured with
 * `npm run eval:retrieval` (docs/knowledge-bases.md).
 */
const vectorWeight = (kb: KnowledgeBase) => (kb.embedding.provider === 'local' ? LOCAL_VECTOR_WEIGHT : 1);
const LOCAL_VECTOR_WEIGHT = 0.5;

/** Knowledge bases that can share one query vector: same model, same store. */
function byVectorSpace(kbs: KnowledgeBase[]): KnowledgeBase[][] {
  const groups = new Map<string, KnowledgeBase[]>();
  for (const kb of kbs) {
    const key = `${kb.embedding.model}|${kb.store}`;
    groups.set(key, [...(groups.get(key) ?? []), kb]);
  }
  return [...groups.values()];
}

async function vectorLists(ctx: TaskContext, kbs: KnowledgeBase[], request: SearchRequest): Promise<WeightedList[]> {
  return Promise.all(
    byVectorSpace(kbs).map(async (group, i) => {
      const [query] = await embedTexts(ctx, group[0]!, [request.query], i === 0 ? 'embed-query' : `embed-query-${i}`);
      const entries = await vectorStoreFor(ctx.env, group[0]!).nearest(ctx.policy.tenantId, group.map((kb) => kb.id), query!, CANDIDATES, request.filter);
      return { entries, weight: vectorWeight(group[0]!) };
    }),
  );
}

/**
 * Fuses ranked lists by weighted reciprocal rank: a chunk's score is Σ weight/(60 + rank) over the
 * lists that found it, divided by the best possible (first in every list), so 1 means "top of
 * everything".
 */
function fuse(lists: WeightedList[]): { id: string; score: number; similarity: number | null }[] {
  const fused = new Map<string, { score: number; similarity: number | null }>();
  for (const { entries, weight } of lists) {
    entries.forEach((entry, rank) => {
      const current = fused.get(entry.id) ?? { score: 0, similarity: null };
      current.score += weight / (RRF_K + rank + 1);
      if (entry.similarity !== undefined) current.similarity = Math.max(current.similarity ?? -1, entry.similarity);
      fused.set(entry.id, current);
    });
  }
  const best = lists.reduce((sum, list) => sum + (list.entries.length > 0 ? list.weight : 0), 0) / (RRF_K + 1);
  return [...fused.entries()].map(([id, value]) => ({ id, score: best > 0 ? value.score / best : 0, similarity: value.similarity })).sort((a, b) => b.score - a.score);
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * Searches the tenant's knowledge bases: BM25 over the keyword index and nearest neighbours of the
 * query's embedding (made with each knowledge base's own model, through the embed pipeline as a
 * step of the caller's request), fused by reciprocal rank, optionally reranked by the rerank task.
 * Every storage query filters on the tenant, so no search can reach another tenant's passages,
 * whatever ids it is given.
 */
export async function searchKnowledge(ctx: TaskContext, request: SearchRequest & { rerank?: boolean }): Promise<Passage[]> {
  const { env } = ctx;
  const tenantId = ctx.policy.tenantId;
  const kbs = await findKnowledgeBases(env.DB, tenantId, request.kbIds);
  if (kbs.length === 0) return [];
  const kbIds = kbs.map((kb) => kb.id);
  const mode = request.mode ?? 'hybrid';
  const match = keywordQuery(request.query);
  const [vectors, keywords] = await Promise.all([
    mode === 'keyword' ? Promise.resolve([]) : vectorLists(ctx, kbs, request),
    mode === 'vector' || !match ? Promise.resolve([]) : keywordMatches(env.DB, tenantId, kbIds, match, CANDIDATES, request.filter),
  ]);
  let ranked = fuse([...vectors, { entries: keywords, weight: 1 }]);
  if (request.rerank && ranked.length > 1) ranked = await rerank(ctx, request.query, ranked.slice(0, Math.max(request.topK * 3, 10)));
  const top = ranked.slice(0, request.topK);
  const rows = new Map((await chunksWithDocuments(env.DB, tenantId, top.map((entry) => entry.id))).map((row) => [row.id, row]));
  return top.flatMap((entry) => {
    const row = rows.get(entry.id);
    if (!row) return [];
    return [
      {
        kb_id: row.kb_id,
        document_id: row.document_id,
        title: row.title,
        url: row.url,
        text: row.text,
        score: round(entry.score),
        similarity: entry.similarity === null ? null : round(entry.similarity),
        start: row.start_offset,
        end: row.end_offset,
        metadata: JSON.parse(row.metadata) as Passage['metadata'],
      },
    ];
  });
}

/** Reorders fused candidates by the rerank task's relevance (a cross-encoder on neural providers). */
async function rerank(ctx: TaskContext, query: string, candidates: ReturnType<typeof fuse>): Promise<ReturnType<typeof fuse>> {
  const rows = new Map((await chunksWithDocuments(ctx.env.DB, ctx.policy.tenantId, candidates.map((entry) => entry.id))).map((row) => [row.id, row]));
  const present = candidates.filter((entry) => rows.has(entry.id));
  const { envelope } = await runTask<RerankResult[]>(stepContext(ctx, 'rerank'), rerankTask, { query, documents: present.map((entry) => rows.get(entry.id)!.text) });
  const ranking = envelope.results[0] ?? [];
  return ranking.map((result) => ({ ...present[result.index]!, score: result.score }));
}
