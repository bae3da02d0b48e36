-- Tenants and their API keys. Keys are stored only as SHA-256 hashes; `prefix` is the part
-- that may be shown back (listings, logs) to tell keys apart.
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  rpm INTEGER NOT NULL,
  burst INTEGER NOT NULL,
  daily_budget_usd REAL NOT NULL,
  monthly_budget_usd REAL,        -- NULL: no monthly cap
  daily_budget_neurons REAL,      -- NULL: no neuron cap
  soft_limit_ratio REAL,          -- e.g. 0.8: notify at 80% of a cap; NULL: never
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  kind TEXT NOT NULL CHECK (kind IN ('secret', 'publishable')),
  prefix TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  -- JSON array of task names; ["*"] means every task.
  scopes TEXT NOT NULL,
  -- JSON array of allowed browser origins (publishable keys only).
  origins TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

-- Per-tenant, per-task configuration: provider order, model per provider, and the tenant's own
-- Hugging Face Inference Endpoint. The endpoint token is stored AES-GCM encrypted (SECRETS_KEY).
CREATE TABLE tenant_tasks (
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  task TEXT NOT NULL,
  providers TEXT,             -- JSON array of provider ids, or NULL for the deployment default
  models TEXT NOT NULL DEFAULT '{}',  -- JSON { "<provider>": "<model id>" }
  hf_endpoint_url TEXT,
  hf_token_encrypted TEXT,
  cascade_threshold REAL,     -- local tier first; its answers below this confidence escalate
  updated_at TEXT NOT NULL,
  PRIMARY KEY (tenant_id, task)
);

-- Notices for the tenant (e.g. budget.soft_limit), kept for the webhook capability to deliver.
CREATE TABLE notifications (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  type TEXT NOT NULL,
  payload TEXT NOT NULL,          -- JSON
  created_at TEXT NOT NULL,
  delivered_at TEXT
);
CREATE INDEX notifications_tenant ON notifications (tenant_id, created_at);

-- One row per metered request, written by the usage queue consumer.
CREATE TABLE usage_events (
  request_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  key_id TEXT NOT NULL,
  task TEXT NOT NULL,
  model TEXT NOT NULL,
  provider TEXT NOT NULL,
  cache_status TEXT NOT NULL,
  cascade_step TEXT,              -- providers that answered under a cascade, e.g. "local,workers-ai"
  items INTEGER NOT NULL,
  cached_items INTEGER NOT NULL,
  units INTEGER NOT NULL,
  cost_usd REAL NOT NULL,
  -- What calling the task's default neural model for every item would have cost (for savings).
  baseline_cost_usd REAL NOT NULL,
  neurons REAL NOT NULL,
  latency_ms REAL NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX usage_events_tenant_time ON usage_events (tenant_id, created_at);
