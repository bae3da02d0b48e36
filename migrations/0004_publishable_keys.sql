-- Publishable keys (pk_) embedded in browser pages: per-visitor limits and optional bot protection.
-- NULL visitor limits mean the defaults (DEFAULT_VISITOR_LIMITS in src/durable-objects/policy.ts).
ALTER TABLE api_keys ADD COLUMN visitor_rpm INTEGER;
ALTER TABLE api_keys ADD COLUMN visitor_burst INTEGER;
-- Cloudflare Turnstile secret, AES-GCM encrypted with SECRETS_KEY; NULL = bot protection off.
ALTER TABLE api_keys ADD COLUMN turnstile_secret_encrypted TEXT;
