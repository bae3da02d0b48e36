-- A secret key may ask that every request it makes be admitted by its tenant's TenantGuard itself,
-- never from an isolate's lease (docs/how-a-request-runs.md, "Leases") — for the one integration
-- that must never be over-admitted, while the tenant's other keys stay leased. 0 = leased, 1 = exact.
ALTER TABLE api_keys ADD COLUMN exact_admission INTEGER NOT NULL DEFAULT 0 CHECK (exact_admission IN (0, 1));
