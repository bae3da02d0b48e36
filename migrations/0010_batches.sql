-- Batch jobs (issue #17, docs/batches.md): one task run over up to 10,000 items on the JOBS
-- queue. The items are validated whole before the batch row exists; chunks run one after another,
-- each writing its items' result lines and the batch's counts in one transaction. Every query
-- filters on tenant_id or reaches rows through a batch of the tenant's. (0009 is another change's number.)

CREATE TABLE batches (
  id TEXT PRIMARY KEY,                        -- batch_…
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  key_id TEXT NOT NULL,                       -- the key that created it: admitted and metered as it; revoking it stops the batch
  task TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'in_progress', 'cancelling', 'completed', 'cancelled')),
  total INTEGER NOT NULL,
  succeeded INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  chunks INTEGER NOT NULL,
  next_chunk INTEGER NOT NULL DEFAULT 0,      -- the first chunk not yet done; chunks [0, next_chunk) have result lines
  cost_usd REAL NOT NULL DEFAULT 0,           -- sum of the items' usage.cost_usd
  neurons REAL NOT NULL DEFAULT 0,
  units INTEGER NOT NULL DEFAULT 0,
  cached_items INTEGER NOT NULL DEFAULT 0,
  idempotency_key TEXT,                       -- the Idempotency-Key header it was created with
  request_hash TEXT,                          -- SHA-256 of the body, to refuse the key's reuse for another body
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,                   -- last progress (created, started, a chunk recorded, cancelled): the cron re-queues a batch stalled for 15 minutes
  started_at TEXT,
  finished_at TEXT,
  cancelled_at TEXT
);
CREATE INDEX batches_tenant ON batches (tenant_id, created_at, id);
CREATE INDEX batches_updated ON batches (status, updated_at);
CREATE UNIQUE INDEX batches_idempotency ON batches (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- The items, in chunks of ≤ 50 items, ≤ 100 task items (texts) and ≤ 1 MiB of inputs: one
-- queue message's work. `inputs` (the validated task requests) is cleared once the chunk is done.
CREATE TABLE batch_chunks (
  batch_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  first_index INTEGER NOT NULL,
  ids TEXT NOT NULL,                          -- JSON array: each item's custom id, or null
  inputs TEXT,                                -- JSON array of task requests; NULL once done
  PRIMARY KEY (batch_id, seq)
);

-- One JSON Lines line per finished item, exactly as GET /v1/batches/:id/results serves it.
CREATE TABLE batch_results (
  batch_id TEXT NOT NULL,
  idx INTEGER NOT NULL,
  line TEXT NOT NULL,
  PRIMARY KEY (batch_id, idx)
);
