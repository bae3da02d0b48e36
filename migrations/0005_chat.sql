-- Customer-service chat: bots (per tenant), their conversations and the messages of each.
-- Every row carries tenant_id and every query filters on it first.

CREATE TABLE bots (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  instructions TEXT NOT NULL,
  knowledge_bases TEXT NOT NULL,      -- JSON array of knowledge-base ids (checked to be the tenant's)
  topics TEXT,                        -- JSON array of strings, or NULL: any topic
  model TEXT,                         -- catalog chat model id, or NULL: the provider order's defaults
  providers TEXT,                     -- JSON provider order, or NULL: the deployment's
  escalation TEXT NOT NULL,           -- JSON: keywords, min_retrieval_score, on_request_for_human, on_negative_sentiment
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX bots_tenant ON bots (tenant_id, created_at);

CREATE TABLE conversations (
  id TEXT PRIMARY KEY,                -- conv_ + 22 base62 characters (~131 random bits)
  tenant_id TEXT NOT NULL,
  bot_id TEXT NOT NULL,
  key_id TEXT NOT NULL,               -- the key that started it (a publishable key may read only its own)
  turns INTEGER NOT NULL DEFAULT 0,
  handoff_reason TEXT,                -- set when an escalation rule fired
  handed_off_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  expires_at TEXT NOT NULL            -- last activity + CONVERSATION_RETENTION_DAYS; past it: 404, then pruned
);
CREATE INDEX conversations_tenant_expiry ON conversations (tenant_id, expires_at);

CREATE TABLE conversation_messages (
  conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  role TEXT NOT NULL,                 -- 'user' | 'assistant'
  content TEXT NOT NULL,
  citations TEXT,                     -- JSON array (assistant messages)
  created_at TEXT NOT NULL,
  PRIMARY KEY (conversation_id, seq)
);
