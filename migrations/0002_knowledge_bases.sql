-- Knowledge bases: each tenant's own documents, cut into chunks, embedded, and indexed for
-- keyword search. Every row carries tenant_id, and every query filters on it first.

CREATE TABLE knowledge_bases (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  -- Fixed at creation: vectors from two models cannot be compared, so a knowledge base keeps one.
  embedding_provider TEXT NOT NULL,
  embedding_model TEXT NOT NULL,
  dimensions INTEGER NOT NULL,
  store TEXT NOT NULL DEFAULT 'd1',   -- 'd1' (embedded default) or 'vectorize'
  created_at TEXT NOT NULL
);
CREATE INDEX knowledge_bases_tenant ON knowledge_bases (tenant_id, created_at);

CREATE TABLE kb_documents (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  kb_id TEXT NOT NULL REFERENCES knowledge_bases(id) ON DELETE CASCADE,
  -- What makes a re-added document "the same one": the caller's external_id, else its url, else its title.
  source_key TEXT NOT NULL,
  title TEXT NOT NULL,
  url TEXT,
  format TEXT NOT NULL,
  metadata TEXT NOT NULL DEFAULT '{}',   -- JSON object of strings/numbers/booleans, used by search filters
  content_hash TEXT NOT NULL,            -- SHA-256 of the cleaned text: an unchanged re-add is not re-embedded
  -- The version whose chunks search serves. A changed document is re-embedded under its new
  -- content_hash while the old chunks keep answering; the switch is one update.
  live_hash TEXT,
  text TEXT NOT NULL,                    -- cleaned text; chunk offsets point into it
  status TEXT NOT NULL,                  -- 'processing' | 'ready' | 'failed'
  error TEXT,
  chunks INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (kb_id, source_key)
);
CREATE INDEX kb_documents_kb ON kb_documents (tenant_id, kb_id, created_at);

CREATE TABLE kb_chunks (
  id TEXT PRIMARY KEY,                   -- <document id>:<version prefix>:<position>; also the Vectorize id
  tenant_id TEXT NOT NULL,
  kb_id TEXT NOT NULL,
  document_id TEXT NOT NULL REFERENCES kb_documents(id) ON DELETE CASCADE,
  version TEXT NOT NULL,                 -- the document's content_hash this chunk was cut from
  position INTEGER NOT NULL,
  start_offset INTEGER NOT NULL,
  end_offset INTEGER NOT NULL,
  text TEXT NOT NULL,
  vector BLOB                            -- float32 little-endian, unit length; NULL when the vectors live in Vectorize
);
CREATE INDEX kb_chunks_kb ON kb_chunks (tenant_id, kb_id);
CREATE INDEX kb_chunks_document ON kb_chunks (document_id, version, position);

-- BM25 keyword index over chunk title + text. Its own copy of the text (not external content) so
-- that the title can be indexed beside the chunk; written and deleted with the chunk in one batch.
CREATE VIRTUAL TABLE kb_chunks_fts USING fts5(
  title, text,
  chunk_id UNINDEXED, tenant_id UNINDEXED, kb_id UNINDEXED,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
