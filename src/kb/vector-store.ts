import type { Bindings } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { liveChunkIds, liveChunkVectors } from '../storage/kb-chunks';
import type { DocumentMetadata } from '../storage/kb-documents';
import type { KnowledgeBase } from '../storage/knowledge-bases';
import { blobToVector, dot, vectorToBlob } from '../lib/vectors';

export interface ChunkVector {
  id: string;
  kbId: string;
  documentId: string;
  vector: Float32Array;
}

export interface NearestChunk {
  id: string;
  similarity: number;
}

/**
 * Where a knowledge base's vectors live. Chunk text, documents and the keyword index are always in
 * D1; only the nearest-neighbour side changes. Two stores:
 * - `d1` (default): vectors as float32 BLOBs in the chunk rows, exact brute-force cosine — no
 *   extra service, fine to ~10–20k chunks per search (every search reads every candidate vector).
 * - `vectorize`: Cloudflare Vectorize (approximate nearest neighbours, millions of vectors), one
 *   index for all tenants with each tenant in its own namespace.
 */
export interface VectorStore {
  /** What goes in the chunk row's `vector` column (null when the store keeps vectors elsewhere). */
  rowVector(vector: Float32Array): Uint8Array | null;
  put(tenantId: string, chunks: ChunkVector[]): Promise<void>;
  remove(tenantId: string, ids: string[]): Promise<void>;
  nearest(tenantId: string, kbIds: string[], query: Float32Array, topK: number, filter?: DocumentMetadata): Promise<NearestChunk[]>;
}

const d1Store = (env: Bindings): VectorStore => ({
  rowVector: vectorToBlob,
  async put() {},
  async remove() {},
  async nearest(tenantId, kbIds, query, topK, filter) {
    const scored = (await liveChunkVectors(env.DB, tenantId, kbIds, filter)).map((row) => ({ id: row.id, similarity: dot(query, blobToVector(row.vector)) }));
    return scored.sort((a, b) => b.similarity - a.similarity).slice(0, topK);
  },
});

/** Vectorize caps topK at 100 with metadata off, and deletes/upserts at 1,000 ids per call. */
const VECTORIZE_MAX_TOP_K = 100;
const VECTORIZE_BATCH = 1_000;

const vectorizeStore = (env: Bindings, index: Vectorize): VectorStore => ({
  rowVector: () => null,
  async put(tenantId, chunks) {
    for (let i = 0; i < chunks.length; i += VECTORIZE_BATCH) {
      await index.upsert(
        chunks.slice(i, i + VECTORIZE_BATCH).map((chunk) => ({ id: chunk.id, values: Array.from(chunk.vector), namespace: tenantId, metadata: { kb_id: chunk.kbId, document_id: chunk.documentId } })),
      );
    }
  },
  async remove(_tenantId, ids) {
    for (let i = 0; i < ids.length; i += VECTORIZE_BATCH) await index.deleteByIds(ids.slice(i, i + VECTORIZE_BATCH));
  },
  async nearest(tenantId, kbIds, query, topK, filter) {
    // The namespace is the tenant: Vectorize never compares a query with another tenant's vectors.
    const { matches } = await index.query(Array.from(query), {
      topK: Math.min(VECTORIZE_MAX_TOP_K, topK),
      namespace: tenantId,
      filter: kbIds.length === 1 ? { kb_id: kbIds[0]! } : { kb_id: { $in: kbIds } },
    });
    // D1 stays the source of truth: drop vectors of deleted or replaced versions and apply the
    // metadata filter (Vectorize's own filters need an index per metadata field).
    const live = await liveChunkIds(env.DB, tenantId, kbIds, matches.map((match) => match.id), filter);
    return matches.filter((match) => live.has(match.id)).map((match) => ({ id: match.id, similarity: match.score }));
  },
});

export function vectorStoreFor(env: Bindings, kb: Pick<KnowledgeBase, 'store'>): VectorStore {
  if (kb.store === 'd1') return d1Store(env);
  if (!env.VECTORS) throw new ApiError(503, 'vector_store_unavailable', 'This knowledge base keeps its vectors in Vectorize, which is not bound to this deployment (VECTORS)');
  return vectorizeStore(env, env.VECTORS);
}
