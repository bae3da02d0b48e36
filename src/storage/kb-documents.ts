/** The formats a document may arrive in (kb_documents.format); each is cleaned to plain text with paragraph breaks. */
export const DOCUMENT_FORMATS = ['text', 'markdown', 'html'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

export type DocumentStatus = 'processing' | 'ready' | 'failed';
export type DocumentMetadata = Record<string, string | number | boolean>;

export interface KbDocument {
  id: string;
  tenantId: string;
  kbId: string;
  sourceKey: string;
  title: string;
  url: string | null;
  format: DocumentFormat;
  metadata: DocumentMetadata;
  contentHash: string;
  liveHash: string | null;
  status: DocumentStatus;
  error: string | null;
  chunks: number;
  chars: number;
  createdAt: string;
  updatedAt: string;
}

interface DocumentRow {
  id: string;
  tenant_id: string;
  kb_id: string;
  source_key: string;
  title: string;
  url: string | null;
  format: string;
  metadata: string;
  content_hash: string;
  live_hash: string | null;
  status: string;
  error: string | null;
  chunks: number;
  chars: number;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, tenant_id, kb_id, source_key, title, url, format, metadata, content_hash, live_hash, status, error, chunks, length(text) AS chars, created_at, updated_at';

const fromRow = (row: DocumentRow): KbDocument => ({
  id: row.id,
  tenantId: row.tenant_id,
  kbId: row.kb_id,
  sourceKey: row.source_key,
  title: row.title,
  url: row.url,
  format: row.format as DocumentFormat,
  metadata: JSON.parse(row.metadata) as DocumentMetadata,
  contentHash: row.content_hash,
  liveHash: row.live_hash,
  status: row.status as DocumentStatus,
  error: row.error,
  chunks: row.chunks,
  chars: row.chars,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export async function findDocument(db: D1Database, tenantId: string, kbId: string, id: string): Promise<KbDocument | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM kb_documents WHERE id = ? AND tenant_id = ? AND kb_id = ?`).bind(id, tenantId, kbId).first<DocumentRow>();
  return row ? fromRow(row) : null;
}

export async function findDocumentBySource(db: D1Database, tenantId: string, kbId: string, sourceKey: string): Promise<KbDocument | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM kb_documents WHERE tenant_id = ? AND kb_id = ? AND source_key = ?`).bind(tenantId, kbId, sourceKey).first<DocumentRow>();
  return row ? fromRow(row) : null;
}

/** The cleaned text a document's chunks were cut from (kept for queued processing and quoting). */
export async function documentText(db: D1Database, tenantId: string, id: string): Promise<string | null> {
  const row = await db.prepare('SELECT text FROM kb_documents WHERE id = ? AND tenant_id = ?').bind(id, tenantId).first<{ text: string }>();
  return row?.text ?? null;
}

/** What an upload writes: the document's identity and details, and the cleaned text. */
export type DocumentWrite = Pick<KbDocument, 'id' | 'tenantId' | 'kbId' | 'sourceKey' | 'title' | 'url' | 'format' | 'metadata' | 'contentHash'> & { text: string };

/**
 * Records a new version of a document as `processing`. An existing document (same source key)
 * keeps its id and its live chunks, which go on answering until the new version is activated.
 */
export async function saveDocumentVersion(db: D1Database, doc: DocumentWrite): Promise<void> {
  const now = new Date().toISOString();
  await db
    .prepare(
      `INSERT INTO kb_documents (id, tenant_id, kb_id, source_key, title, url, format, metadata, content_hash, text, status, error, chunks, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'processing', NULL, 0, ?, ?)
       ON CONFLICT (kb_id, source_key) DO UPDATE SET
         title = excluded.title, url = excluded.url, format = excluded.format, metadata = excluded.metadata,
         content_hash = excluded.content_hash, text = excluded.text, status = 'processing', error = NULL, updated_at = excluded.updated_at`,
    )
    .bind(doc.id, doc.tenantId, doc.kbId, doc.sourceKey, doc.title, doc.url, doc.format, JSON.stringify(doc.metadata), doc.contentHash, doc.text, now, now)
    .run();
}

/** Same document, new title/url/metadata, same text: no re-embedding needed. */
export async function updateDocumentDetails(db: D1Database, tenantId: string, id: string, details: Pick<DocumentWrite, 'title' | 'url' | 'format' | 'metadata'>): Promise<void> {
  await db
    .prepare('UPDATE kb_documents SET title = ?, url = ?, format = ?, metadata = ?, updated_at = ? WHERE id = ? AND tenant_id = ?')
    .bind(details.title, details.url, details.format, JSON.stringify(details.metadata), new Date().toISOString(), id, tenantId)
    .run();
}

export async function markDocumentFailed(db: D1Database, tenantId: string, id: string, contentHash: string, error: string): Promise<void> {
  // Only the version that failed: a newer upload may already be processing.
  await db
    .prepare("UPDATE kb_documents SET status = 'failed', error = ?, updated_at = ? WHERE id = ? AND tenant_id = ? AND content_hash = ?")
    .bind(error.slice(0, 500), new Date().toISOString(), id, tenantId, contentHash)
    .run();
}

export async function listDocuments(db: D1Database, tenantId: string, kbId: string, limit: number, after?: string): Promise<KbDocument[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM kb_documents WHERE tenant_id = ? AND kb_id = ? AND id > ? ORDER BY id LIMIT ?`)
    .bind(tenantId, kbId, after ?? '', limit)
    .all<DocumentRow>();
  return results.map(fromRow);
}

export async function countDocuments(db: D1Database, tenantId: string, kbId: string): Promise<{ documents: number; chunks: number }> {
  const row = await db
    .prepare('SELECT COUNT(*) AS documents, COALESCE(SUM(chunks), 0) AS chunks FROM kb_documents WHERE tenant_id = ? AND kb_id = ?')
    .bind(tenantId, kbId)
    .first<{ documents: number; chunks: number }>();
  return row ?? { documents: 0, chunks: 0 };
}
