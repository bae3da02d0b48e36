import type { TenantLimits } from '../../contracts/policy';

type BucketLimits = Pick<TenantLimits, 'rpm' | 'burst'>;

export interface BucketState {
  tokens: number;
  updatedAtMs: number;
}

export interface TakeResult {
  allowed: boolean;
  state: BucketState;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Milliseconds until one token is available (0 when allowed). */
  retryAfterMs: number;
  /** Milliseconds until the bucket is full again. */
  resetMs: number;
}

/** A full bucket: a new tenant may burst immediately. */
export function freshBucket(limits: BucketLimits, nowMs: number): BucketState {
  return { tokens: limits.burst, updatedAtMs: nowMs };
}

/**
 * Refills at `rpm` tokens per minute up to `burst`, then takes one token if there is one.
 * Pure: the Durable Object owns the state and calls this one request at a time, which is what
 * makes N concurrent requests against a limit of L admit exactly L.
 */
export function takeToken(previous: BucketState, limits: BucketLimits, nowMs: number): TakeResult {
  const perMs = limits.rpm / 60_000;
  const { tokens } = refill(previous, limits, nowMs);
  const allowed = tokens >= 1;
  const after = allowed ? tokens - 1 : tokens;
  const state = { tokens: after, updatedAtMs: nowMs };
  const retryAfterMs = allowed ? 0 : perMs > 0 ? Math.ceil((1 - tokens) / perMs) : Number.POSITIVE_INFINITY;
  const resetMs = perMs > 0 ? Math.ceil((limits.burst - after) / perMs) : 0;
  return { allowed, state, remaining: Math.floor(after), retryAfterMs, resetMs };
}

/** The bucket as of `nowMs`: refilled at `rpm` per minute since it was last touched, capped at `burst`. */
export function refill(previous: BucketState, limits: BucketLimits, nowMs: number): BucketState {
  const elapsed = Math.max(0, nowMs - previous.updatedAtMs);
  return { tokens: Math.min(limits.burst, previous.tokens + elapsed * (limits.rpm / 60_000)), updatedAtMs: Math.max(nowMs, previous.updatedAtMs) };
}

/** Takes `count` tokens at once (a lease); the caller has checked they are there. */
export function takeTokens(state: BucketState, count: number): BucketState {
  return { ...state, tokens: state.tokens - count };
}

/** Gives back tokens a lease did not use, never past `burst`. */
export function giveBack(state: BucketState, limits: BucketLimits, count: number): BucketState {
  return { ...state, tokens: Math.min(limits.burst, state.tokens + count) };
}
