-- Tenants may ask that every request be admitted by their TenantGuard itself, never from an
-- isolate's lease (docs/how-a-request-runs.md, "Leases"). 0 = leased (the default), 1 = exact.
ALTER TABLE tenants ADD COLUMN exact_admission INTEGER NOT NULL DEFAULT 0 CHECK (exact_admission IN (0, 1));
