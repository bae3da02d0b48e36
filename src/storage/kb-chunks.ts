import type { DocumentMetadata } from './kb-documents';

/** One passage of a document's cleaned text (kb_chunks: position, start_offset, end_offset, text). */
export interface Chunk {
  position: number;
  start: number;
  end: number;
  text: string;
}

export interface ChunkWrite extends Chunk {
  id: string;
  /** Null when the knowledge base keeps its vectors in Vectorize. */
  vector: Uint8Array | null;
}

/** Chunks per D1 batch: two statements each (row + keyword index), well inside D1's batch limits. */
const CHUNKS_PER_BATCH = 40;

/** Stores a version's chunks with their keyword index rows. Not yet searchable: see activateVersion. */
export async function insertChunks(
  db: D1Database,
  scope: { tenantId: string; kbId: string; documentId: string; version: string; title: string },
  chunks: ChunkWrite[],
): Promise<void> {
  const row = db.prepare('INSERT OR REPLACE INTO kb_chunks (id, tenant_id, kb_id, document_id, version, position, start_offset, end_offset, text, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const indexRow = db.prepare('INSERT INTO kb_chunks_fts (title, text, chunk_id, tenant_id, kb_id) VALUES (?, ?, ?, ?, ?)');
  const clearIndex = db.prepare('DELETE FROM kb_chunks_fts WHERE chunk_id = ?');
  for (let i = 0; i < chunks.length; i += CHUNKS_PER_BATCH) {
    await db.batch(
      chunks.slice(i, i + CHUNKS_PER_BATCH).flatMap((chunk) => [
        // A retried queue message may write the same chunk twice; the index must not double.
        clearIndex.bind(chunk.id),
        row.bind(chunk.id, scope.tenantId, scope.kbId, scope.documentId, scope.version, chunk.position, chunk.start, chunk.end, chunk.text, chunk.vector),
        indexRow.bind(scope.title, chunk.text, chunk.id, scope.tenantId, scope.kbId),
      ]),
    );
  }
}

/**
 * Makes `version` the document's searchable content in one transaction: the document becomes
 * ready, and the chunks (and index rows) of any other version go. Returns the removed chunk ids,
 * for a vector store outside D1. Does nothing if a newer upload replaced `version` meanwhile.
 */
export async function activateVersion(db: D1Database, tenantId: string, documentId: string, version: string, chunkCount: number): Promise<{ activated: boolean; removed: string[] }> {
  const { results: stale } = await db
    .prepare('SELECT id FROM kb_chunks WHERE tenant_id = ? AND document_id = ? AND version != ?')
    .bind(tenantId, documentId, version)
    .all<{ id: string }>();
  const [update] = await db.batch([
    db
      .prepare("UPDATE kb_documents SET live_hash = ?, status = 'ready', error = NULL, chunks = ?, updated_at = ? WHERE id = ? AND tenant_id = ? AND content_hash = ?")
      .bind(version, chunkCount, new Date().toISOString(), documentId, tenantId, version),
  ]);
  if ((update?.meta.changes ?? 0) === 0) return { activated: false, removed: [] };
  await db.batch([
    db.prepare('DELETE FROM kb_chunks_fts WHERE chunk_id IN (SELECT id FROM kb_chunks WHERE tenant_id = ? AND document_id = ? AND version != ?)').bind(tenantId, documentId, version),
    db.prepare('DELETE FROM kb_chunks WHERE tenant_id = ? AND document_id = ? AND version != ?').bind(tenantId, documentId, version),
  ]);
  return { activated: true, removed: stale.map((row) => row.id) };
}

/** Deletes a document, its chunks and their index rows in one transaction; returns the chunk ids. */
export async function deleteDocument(db: D1Database, tenantId: string, kbId: string, documentId: string): Promise<{ deleted: boolean; removed: string[] }> {
  const { results } = await db.prepare('SELECT id FROM kb_chunks WHERE tenant_id = ? AND document_id = ?').bind(tenantId, documentId).all<{ id: string }>();
  const [, , deleted] = await db.batch([
    db.prepare('DELETE FROM kb_chunks_fts WHERE chunk_id IN (SELECT id FROM kb_chunks WHERE tenant_id = ? AND document_id = ?)').bind(tenantId, documentId),
    db.prepare('DELETE FROM kb_chunks WHERE tenant_id = ? AND document_id = ?').bind(tenantId, documentId),
    db.prepare('DELETE FROM kb_documents WHERE tenant_id = ? AND kb_id = ? AND id = ?').bind(tenantId, kbId, documentId),
  ]);
  return { deleted: (deleted?.meta.changes ?? 0) > 0, removed: results.map((row) => row.id) };
}

/** Exact-match conditions on document metadata (or the document id), as SQL over `d`. */
function filterClause(filter: DocumentMetadata | undefined): { sql: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  for (const [key, value] of Object.entries(filter ?? {})) {
    if (key === 'document_id') {
      parts.push('d.id = ?');
      params.push(String(value));
    } else {
      // json_extract gives SQLite's 1/0 for JSON booleans.
      parts.push('json_extract(d.metadata, ?) = ?');
      params.push(`$."${key}"`, typeof value === 'boolean' ? Number(value) : value);
    }
  }
  return { sql: parts.map((part) => ` AND ${part}`).join(''), params };
}

const placeholders = (values: unknown[]) => values.map(() => '?').join(', ');

/** The live chunks of the knowledge bases (with their vectors), filtered: the brute-force candidate set. */
export async function liveChunkVectors(db: D1Database, tenantId: string, kbIds: string[], filter?: DocumentMetadata): Promise<{ id: string; vector: ArrayBuffer | number[] }[]> {
  const where = filterClause(filter);
  const { results } = await db
    .prepare(
      `SELECT c.id, c.vector FROM kb_chunks c JOIN kb_documents d ON d.id = c.document_id AND d.live_hash = c.version
       WHERE c.tenant_id = ? AND d.tenant_id = ? AND c.kb_id IN (${placeholders(kbIds)}) AND c.vector IS NOT NULL${where.sql}`,
    )
    .bind(tenantId, tenantId, ...kbIds, ...where.params)
    .all<{ id: string; vector: ArrayBuffer | number[] }>();
  return results;
}

/** BM25 over title + text (title weighted double), best first. `match` is an FTS5 query. */
export async function keywordMatches(db: D1Database, tenantId: string, kbIds: string[], match: string, limit: number, filter?: DocumentMetadata): Promise<{ id: string; rank: number }[]> {
  const where = filterClause(filter);
  const { results } = await db
    .prepare(
      `SELECT kb_chunks_fts.chunk_id AS id, bm25(kb_chunks_fts, 2.0, 1.0) AS rank
       FROM kb_chunks_fts JOIN kb_chunks c ON c.id = kb_chunks_fts.chunk_id JOIN kb_documents d ON d.id = c.document_id AND d.live_hash = c.version
       WHERE kb_chunks_fts MATCH ? AND kb_chunks_fts.tenant_id = ? AND c.tenant_id = ? AND kb_chunks_fts.kb_id IN (${placeholders(kbIds)})${where.sql}
       ORDER BY rank LIMIT ?`,
    )
    .bind(match, tenantId, tenantId, ...kbIds, ...where.params, limit)
    .all<{ id: string; rank: number }>();
  return results;
}

/** Which of `ids` are live chunks of these knowledge bases that pass the filter (for vectors found outside D1). */
export async function liveChunkIds(db: D1Database, tenantId: string, kbIds: string[], ids: string[], filter?: DocumentMetadata): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const where = filterClause(filter);
  const { results } = await db
    .prepare(
      `SELECT c.id FROM kb_chunks c JOIN kb_documents d ON d.id = c.document_id AND d.live_hash = c.version
       WHERE c.tenant_id = ? AND c.kb_id IN (${placeholders(kbIds)}) AND c.id IN (${placeholders(ids)})${where.sql}`,
    )
    .bind(tenantId, ...kbIds, ...ids, ...where.params)
    .all<{ id: string }>();
  return new Set(results.map((row) => row.id));
}

export interface PassageRow {
  id: string;
  kb_id: string;
  document_id: string;
  title: string;
  url: string | null;
  metadata: string;
  text: string;
  start_offset: number;
  end_offset: number;
}

export async function chunksWithDocuments(db: D1Database, tenantId: string, ids: string[]): Promise<PassageRow[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT c.id, c.kb_id, c.document_id, d.title, d.url, d.metadata, c.text, c.start_offset, c.end_offset
       FROM kb_chunks c JOIN kb_documents d ON d.id = c.document_id WHERE c.tenant_id = ? AND c.id IN (${placeholders(ids)})`,
    )
    .bind(tenantId, ...ids)
    .all<PassageRow>();
  return results;
}
