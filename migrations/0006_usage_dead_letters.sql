-- Usage events the usage consumer could not write after every retry (minnow-usage-dlq). Kept
-- verbatim so an operator can see, fix and re-insert them: a billing record is never just dropped.
CREATE TABLE usage_dead_letters (
  message_id TEXT PRIMARY KEY,          -- the queue message id: a redelivered dead letter is kept once
  tenant_id TEXT,
  request_id TEXT,
  body TEXT NOT NULL,                   -- the event as JSON
  error TEXT NOT NULL,                  -- why D1 refused it on the last try
  created_at TEXT NOT NULL
);
CREATE INDEX usage_dead_letters_tenant ON usage_dead_letters (tenant_id, created_at);
