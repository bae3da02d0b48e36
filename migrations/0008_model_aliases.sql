-- Per-tenant model aliases for the OpenAI-compatible routes: existing OpenAI code keeps sending
-- `text-embedding-3-small` or `gpt-4o-mini`, and the tenant decides what answers. Every query
-- filters on tenant_id: another tenant's alias is invisible. (0007 is another change's number.)
CREATE TABLE model_aliases (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  alias TEXT NOT NULL,                -- the name clients send: [A-Za-z0-9][A-Za-z0-9._:-]{0,63}, never bot_…
  kind TEXT NOT NULL CHECK (kind IN ('embedding', 'chat')),  -- which route answers it: /v1/embeddings or /v1/chat/completions
  target TEXT NOT NULL,               -- a catalog embedding model, a catalog chat model, or one of the tenant's bots (bot_…)
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, alias)
);
