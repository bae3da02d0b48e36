-- Tenant-trained classifiers (issue 14, docs/classifiers.md). A classifier is a name and its
-- versions; each (re)training is a new version. The weights of a ready version live in KV under a
-- tenant-scoped key (src/storage/classifiers.ts), the rest here. Every query filters on tenant_id:
-- another tenant's classifier is invisible.
CREATE TABLE classifiers (
  id TEXT PRIMARY KEY,                 -- clf_…
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX classifiers_by_tenant ON classifiers (tenant_id, created_at);

CREATE TABLE classifier_versions (
  classifier_id TEXT NOT NULL REFERENCES classifiers(id),
  tenant_id TEXT NOT NULL,
  version INTEGER NOT NULL,            -- 1, 2, …: retraining adds one; the newest ready one answers
  status TEXT NOT NULL CHECK (status IN ('training', 'ready', 'failed')),
  labels TEXT NOT NULL,                -- JSON array, sorted
  examples INTEGER NOT NULL,
  features TEXT NOT NULL,              -- 'lexical' or 'lexical+word-vectors'
  metrics TEXT,                        -- JSON { cross_validated_accuracy, folds, per_label }, once trained
  error TEXT,                          -- why training failed
  created_at TEXT NOT NULL,
  trained_at TEXT,
  PRIMARY KEY (classifier_id, version)
);
CREATE INDEX classifier_versions_by_tenant ON classifier_versions (tenant_id, classifier_id);
