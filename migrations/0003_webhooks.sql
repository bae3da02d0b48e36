-- Webhook handler (issue #6): hook configurations, inbound idempotency receipts, outbound
-- deliveries and their attempts. Secrets are AES-256-GCM encrypted with SECRETS_KEY.

CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,                        -- whk_…, also the inbound path /hooks/<id>
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  verify_scheme TEXT CHECK (verify_scheme IN ('standard', 'github', 'stripe', 'hmac-sha256')),  -- NULL: events-only destination
  verify_secret_encrypted TEXT,
  -- During a rotation the previous inbound secret stays valid until verify_previous_expires_at.
  verify_previous_secret_encrypted TEXT,
  verify_previous_expires_at TEXT,
  tasks TEXT NOT NULL DEFAULT '[]',           -- JSON [{task, input, options?}]
  events TEXT NOT NULL DEFAULT '[]',          -- JSON tenant event types delivered to this hook
  destination_url TEXT NOT NULL,
  signing_secret_encrypted TEXT NOT NULL,     -- whsec_… that signs outbound deliveries
  -- After a signing-secret rotation deliveries carry both signatures until this expires.
  signing_previous_secret_encrypted TEXT,
  signing_previous_expires_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX webhooks_tenant ON webhooks (tenant_id, created_at);

-- One row per accepted inbound delivery: the unique key makes a repeated delivery id harmless,
-- even when two copies arrive at once. 'accepting' until the job is on the queue.
CREATE TABLE webhook_receipts (
  hook_id TEXT NOT NULL,
  delivery_key TEXT NOT NULL,                 -- webhook-id, X-GitHub-Delivery, Stripe event id, or a header/body hash
  job_id TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('accepting', 'queued')),
  received_at TEXT NOT NULL,
  PRIMARY KEY (hook_id, delivery_key)
);
CREATE INDEX webhook_receipts_received ON webhook_receipts (received_at);

-- Outbound deliveries: task results (type webhook.result) and tenant events (budget.soft_limit, …).
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,                        -- msg_…, sent as the webhook-id header
  tenant_id TEXT NOT NULL,
  hook_id TEXT NOT NULL,
  type TEXT NOT NULL,
  job_id TEXT UNIQUE,                         -- one result delivery per inbound job
  source_delivery_id TEXT,
  notification_id TEXT,
  body TEXT,                                  -- the signed JSON body; NULL once past retention
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  series INTEGER NOT NULL DEFAULT 1,          -- bumped by a replay; stale queue messages are ignored
  series_attempts INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,        -- over every series
  last_status INTEGER,
  last_error TEXT,
  lease_until INTEGER,                        -- ms epoch: an attempt is in flight until then
  created_at TEXT NOT NULL,
  delivered_at TEXT,
  next_attempt_at TEXT,
  body_pruned_at TEXT
);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (hook_id, created_at, id);
CREATE INDEX webhook_deliveries_created ON webhook_deliveries (created_at);

CREATE TABLE webhook_attempts (
  delivery_id TEXT NOT NULL,
  attempt INTEGER NOT NULL,
  series INTEGER NOT NULL,
  at TEXT NOT NULL,
  status INTEGER,                             -- HTTP status; NULL for a network error or timeout
  error TEXT,
  duration_ms INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
