import type { ProviderId } from './provider-ids';

/**
 * A tenant's admission limits: requests per minute (refill rate), bucket size, spend caps per UTC
 * day and month (null = no such cap), and the share of a cap at which a soft-limit notice is sent.
 */
export interface TenantLimits {
  rpm: number;
  burst: number;
  daily_budget_usd: number;
  monthly_budget_usd: number | null;
  daily_budget_neurons: number | null;
  soft_limit_ratio: number | null;
  /**
   * Every request admitted by the tenant's guard itself (one RPC each), never from an isolate's
   * lease: for tenants that want each decision exact across isolates over the lower latency.
   */
  exact_admission: boolean;
}

/** How one tenant wants one task served. Every field is optional: absent = deployment default. */
export interface TaskConfig {
  /** Providers to try, in order. */
  providers?: ProviderId[];
  /** The model to run on each provider (e.g. a fine-tuned HF model id). */
  models?: Partial<Record<ProviderId, string>>;
  /**
   * Local tier first: its answers at or above `threshold` confidence stand, the rest go on to the
   * next providers in `providers`.
   */
  cascade?: { threshold: number };
  /** The tenant's own Hugging Face Inference Endpoint; the token stays encrypted until used. */
  huggingface_endpoint?: { url: string; token_encrypted: string };
}

/** What admission hands to the rest of the request: the tenant's current, authoritative policy. */
export interface TenantPolicy {
  tenantId: string;
  limits: TenantLimits;
  tasks: Partial<Record<string, TaskConfig>>;
}

export const DEFAULT_LIMITS: TenantLimits = {
  rpm: 120,
  burst: 30,
  daily_budget_usd: 5,
  monthly_budget_usd: null,
  daily_budget_neurons: null,
  soft_limit_ratio: 0.8,
  exact_admission: false,
};

/** Requests per minute and bucket size for one browser visitor of a publishable key. */
export interface VisitorLimits {
  rpm: number;
  burst: number;
}

/**
 * Per-visitor limits for publishable keys that set none: enough for a person using a page (a
 * review form, a chat, a search box), far below a tenant's, so one visitor cannot drain them.
 */
export const DEFAULT_VISITOR_LIMITS: VisitorLimits = { rpm: 20, burst: 10 };
