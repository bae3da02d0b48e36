import type { TenantLimits, TenantPolicy } from '../../contracts/policy';
import type { UsageEvent } from '../../contracts/queue-messages';
import type { Amount, Spend } from './budget';

/**
 * How long an isolate may admit from a lease. It is also the bound on how soon a revoked key, a
 * changed limit or a spent budget reaches every isolate: each new lease carries them.
 */
export const LEASE_VALID_MS = 1_000;
/** A lease never holds more than this share of what is left (tokens, and each budget's headroom). */
export const LEASE_SHARE = 0.1;
/** Below this many tokens a lease is not worth its RPC: the tenant is near its cap, admission is exact. */
export const LEASE_MIN_TOKENS = 8;
export const LEASE_MAX_TOKENS = 512;

/** What an isolate asks for: enough for its recent rate, and each request's estimated cost. */
export interface LeaseRequest {
  tenantId: string;
  tokens: number;
  /** The most one request is expected to reserve (the estimate of the dearest recent request). */
  perRequest: Amount;
  nowMs?: number;
}

/** Capacity an isolate admits from without asking the guard: tokens taken, budget reserved. */
export interface Lease {
  id: string;
  tokens: number;
  budget: Amount;
  /** On the guard's clock; the isolate stops admitting from the lease at this time. */
  validUntilMs: number;
  policy: TenantPolicy;
  revokedKeyIds: string[];
  /** The guard's bucket after the lease was taken, for RateLimit headers. */
  bucketRemaining: number;
}

/** What an isolate hands back when it is done with a lease. */
export interface LeaseReport {
  id: string;
  tokensUnused: number;
  /** What the calls admitted from the lease actually cost. */
  spent: Amount;
  /** One usage event per call admitted from the lease. */
  events: UsageEvent[];
}

/** What is left under each cap: limit − spent − reserved (Infinity where there is no cap). */
export function headroom(limits: TenantLimits, spend: Spend, reserved: Amount): Amount {
  const usdCaps = [limits.daily_budget_usd - spend.dayUsd, limits.monthly_budget_usd === null ? Infinity : limits.monthly_budget_usd - spend.monthUsd];
  const neurons = limits.daily_budget_neurons === null ? Infinity : limits.daily_budget_neurons - spend.dayNeurons - reserved.neurons;
  return { usd: Math.min(...usdCaps) - reserved.usd, neurons };
}

/**
 * The lease to grant, or null when the tenant is too close to a cap for one: a tenth of what is
 * left at most, so leases shrink as the tenant nears any cap and stop where a lease could not
 * cover even one request — from there every request is admitted by the guard itself, exactly.
 */
export function sizeLease(request: LeaseRequest, available: { tokens: number; headroom: Amount }): { tokens: number; budget: Amount } | null {
  const tokens = Math.min(request.tokens, LEASE_MAX_TOKENS, Math.floor(available.tokens * LEASE_SHARE));
  if (tokens < LEASE_MIN_TOKENS) return null;
  const budget = {
    usd: Math.min(request.perRequest.usd * tokens, Math.max(0, available.headroom.usd * LEASE_SHARE)),
    neurons: Math.min(request.perRequest.neurons * tokens, Math.max(0, available.headroom.neurons * LEASE_SHARE)),
  };
  if (budget.usd < request.perRequest.usd || budget.neurons < request.perRequest.neurons) return null;
  return { tokens, budget };
}

/**
 * The one usage event that stands for a lease its isolate never handed back (evicted mid-lease):
 * its calls' own events are gone, so every token it took counts as an item and its whole budget as
 * the cost (what was charged). Usage totals then never count fewer requests or less spend than served.
 */
export function unreportedLeaseEvent(id: string, tenantId: string, lease: Amount & { tokens: number }, nowMs: number): UsageEvent {
  return {
    request_id: `lease_${id}`,
    tenant_id: tenantId,
    key_id: 'lease',
    task: 'unreported_lease',
    model: 'unknown',
    provider: 'unknown',
    cache_status: 'MISS',
    cascade_step: null,
    items: lease.tokens,
    cached_items: 0,
    units: 0,
    cost_usd: lease.usd,
    baseline_cost_usd: lease.usd,
    neurons: lease.neurons,
    latency_ms: 0,
    created_at: new Date(nowMs).toISOString(),
  };
}
