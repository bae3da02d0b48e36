import type { IngestMessage, JobsQueueMessage, UsageMessage } from './queue-messages';

/** Everything the Worker is bound to; names match wrangler.toml. */
export interface Bindings {
  CACHE: KVNamespace;
  DB: D1Database;
  /**
   * Durable Objects, untyped here so the ground floor names no class above it: their stubs are
   * made, typed, in one place each (`durable-objects/tenant-guard/client.ts`, `…/flight-coordinator/client.ts`,
   * `…/auth-throttle/client.ts`).
   */
  TENANT_GUARD: DurableObjectNamespace;
  FLIGHTS: DurableObjectNamespace;
  /** Failed admin-token attempts per client address (src/http/admin-auth.ts). */
  AUTH_THROTTLE: DurableObjectNamespace;
  USAGE: Queue<UsageMessage>;
  /** Webhook jobs and outbound delivery attempts (src/webhooks), classifier trainings (src/classifiers) and batch chunks (src/batches). */
  JOBS: Queue<JobsQueueMessage>;
  /** Static assets (assets/): large read-only data such as the local tier's word vectors. */
  ASSETS?: Fetcher;
  /** Knowledge-base documents too large to embed inside the request are processed here. */
  INGEST: Queue<IngestMessage>;
  /** Cloudflare Vectorize (cosine, dimensions of the embedding model): optional store for large knowledge bases. */
  VECTORS?: Vectorize;
  /** Workers AI. Present in wrangler.toml; usable only when not disabled by WORKERS_AI=off. */
  AI?: Ai;
  ENVIRONMENT?: string;
  /** "off" disables Workers AI (local development without Cloudflare credentials). */
  WORKERS_AI?: string;
  DEFAULT_PROVIDER_ORDER?: string;
  PROVIDER_TIMEOUT_MS?: string;
  /** Upstream faults in a row (no success between) that open a provider/model's circuit (default 5). */
  CIRCUIT_FAILURE_THRESHOLD?: string;
  /** Milliseconds an open circuit waits before a probe (default 30000; doubles per failed probe, up to 10×). */
  CIRCUIT_COOLDOWN_MS?: string;
  HF_TOKEN?: string;
  HF_BASE_URL?: string;
  /** JSON `{ "<task>": "<dedicated endpoint URL>" }`: tasks served by your own HF endpoints. */
  HF_ENDPOINTS?: string;
  /**
   * Most texts per call to the deployment's Hugging Face embedding, rerank and similarity routes:
   * TEI's `--max-client-batch-size` (default 32). Tenant endpoints always get 32 (or less, if they say so).
   */
  HF_MAX_CLIENT_BATCH?: string;
  ADMIN_TOKEN?: string;
  /** 32 random bytes, base64: encrypts stored secrets such as tenants' HF endpoint tokens. */
  SECRETS_KEY?: string;
  MAX_BODY_BYTES?: string;
  /** Days a conversation is kept after its last message (default 30); expired ones answer 404 and are pruned. */
  CONVERSATION_RETENTION_DAYS?: string;
  /** HMAC secret for browser visitor tokens (POST /v1/visitor-token); a dev value under npm start. */
  VISITOR_TOKEN_SECRET?: string;
  /** Turnstile's siteverify endpoint; defaults to Cloudflare's. Tests point it at a stand-in. */
  TURNSTILE_SITEVERIFY_URL?: string;
  /** A publishable key the playground at / uses (npm start sets the demo one); else it asks. */
  PLAYGROUND_KEY?: string;
  /** "off" skips the in-isolate single-flight layer (tests use it to exercise the cross-isolate one). */
  SINGLE_FLIGHT_IN_ISOLATE?: string;
  /** Seconds: the ceiling of each outbound retry's wait, comma separated (docs/webhooks.md). */
  WEBHOOK_RETRY_SCHEDULE?: string;
  /** Milliseconds one outbound delivery attempt may take. */
  WEBHOOK_TIMEOUT_MS?: string;
  /** Days delivery bodies and inbound receipts are kept. */
  WEBHOOK_RETENTION_DAYS?: string;
}

/** Per-request values set by middleware (src/http), read with `c.get(...)`: the one place they are declared. */
export interface Variables {
  /** Set by `requestId()` on every request. */
  requestId: string;
  /** The key as presented, set by `apiKeyFormat()` on routes that take a key (well-formed, not yet looked up). */
  presentedKey: string;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}
