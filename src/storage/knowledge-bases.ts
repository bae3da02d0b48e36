/** A knowledge base as stored (knowledge_bases): which embedding model fills it and where its vectors live. */
export interface KnowledgeBase {
  id: string;
  tenantId: string;
  name: string;
  embedding: { provider: string; model: string; dimensions: number };
  store: 'd1' | 'vectorize';
  createdAt: string;
}

interface KnowledgeBaseRow {
  id: string;
  tenant_id: string;
  name: string;
  embedding_provider: string;
  embedding_model: string;
  dimensions: number;
  store: string;
  created_at: string;
}

const fromRow = (row: KnowledgeBaseRow): KnowledgeBase => ({
  id: row.id,
  tenantId: row.tenant_id,
  name: row.name,
  embedding: { provider: row.embedding_provider, model: row.embedding_model, dimensions: row.dimensions },
  store: row.store === 'vectorize' ? 'vectorize' : 'd1',
  createdAt: row.created_at,
});

export async function insertKnowledgeBase(db: D1Database, kb: KnowledgeBase): Promise<void> {
  await db
    .prepare('INSERT INTO knowledge_bases (id, tenant_id, name, embedding_provider, embedding_model, dimensions, store, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .bind(kb.id, kb.tenantId, kb.name, kb.embedding.provider, kb.embedding.model, kb.embedding.dimensions, kb.store, kb.createdAt)
    .run();
}

/** The tenant's knowledge base, or null — also for another tenant's id, which must look the same as none. */
export async function findKnowledgeBase(db: D1Database, tenantId: string, id: string): Promise<KnowledgeBase | null> {
  const row = await db.prepare('SELECT * FROM knowledge_bases WHERE id = ? AND tenant_id = ?').bind(id, tenantId).first<KnowledgeBaseRow>();
  return row ? fromRow(row) : null;
}

/** Those of `ids` that belong to the tenant, in the order asked. */
export async function findKnowledgeBases(db: D1Database, tenantId: string, ids: string[]): Promise<KnowledgeBase[]> {
  if (ids.length === 0) return [];
  const { results } = await db
    .prepare(`SELECT * FROM knowledge_bases WHERE tenant_id = ? AND id IN (${ids.map(() => '?').join(', ')})`)
    .bind(tenantId, ...ids)
    .all<KnowledgeBaseRow>();
  const byId = new Map(results.map((row) => [row.id, fromRow(row)]));
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

export async function listKnowledgeBases(db: D1Database, tenantId: string): Promise<KnowledgeBase[]> {
  const { results } = await db.prepare('SELECT * FROM knowledge_bases WHERE tenant_id = ? ORDER BY created_at').bind(tenantId).all<KnowledgeBaseRow>();
  return results.map(fromRow);
}

/** Deletes the knowledge base with its documents, chunks and index rows in one batch; returns the chunk ids. */
export async function deleteKnowledgeBase(db: D1Database, tenantId: string, id: string): Promise<{ deleted: boolean; removed: string[] }> {
  const { results } = await db.prepare('SELECT id FROM kb_chunks WHERE tenant_id = ? AND kb_id = ?').bind(tenantId, id).all<{ id: string }>();
  const [, , , deleted] = await db.batch([
    db.prepare('DELETE FROM kb_chunks_fts WHERE tenant_id = ? AND kb_id = ?').bind(tenantId, id),
    db.prepare('DELETE FROM kb_chunks WHERE tenant_id = ? AND kb_id = ?').bind(tenantId, id),
    db.prepare('DELETE FROM kb_documents WHERE tenant_id = ? AND kb_id = ?').bind(tenantId, id),
    db.prepare('DELETE FROM knowledge_bases WHERE tenant_id = ? AND id = ?').bind(tenantId, id),
  ]);
  return { deleted: (deleted?.meta.changes ?? 0) > 0, removed: results.map((row) => row.id) };
}
