import type { Bindings } from '../contracts/env';
import type { TenantPolicy } from '../contracts/policy';
import type { UsageEvent } from '../contracts/queue-messages';
import { add, ZERO, type Amount } from '../durable-objects/tenant-guard/budget';
import { guardFor } from '../durable-objects/tenant-guard/client';
import { LEASE_MAX_TOKENS, LEASE_MIN_TOKENS, LEASE_VALID_MS, type Lease } from '../durable-objects/tenant-guard/leases';
import type { LeaseAccount } from '../pipeline/context';


/** A lease this isolate holds, and what it has admitted from it. */
interface HeldLease {
  grant: Lease;
  /** This isolate's clock when the lease stops admitting (the guard's validity, measured from receipt). */
  validUntilMs: number;
  revoked: Set<string>;
  tokensLeft: number;
  budgetLeft: Amount;
  spent: Amount;
  events: UsageEvent[];
  /** Requests admitted from it that have not finished yet. */
  inFlight: number;
  /** No longer admitting; handed back once `inFlight` reaches 0. */
  retired: boolean;
  returned: boolean;
  owner: TenantLeases;
}

/** Per tenant, in this isolate. */
interface TenantLeases {
  /** Leases still admitting, oldest first: a renewal arrives before the older one is used up, and both are used. */
  active: HeldLease[];
  acquiring: boolean;
  /** After the guard declined (near a cap, exact admission): ask again only after this. */
  notBeforeMs: number;
  /** Requests per second this isolate has seen for the tenant (moving average), to size the next lease. */
  rate: number;
  lastSeenMs: number;
  /** The dearest estimate seen lately: a lease reserves this much per token. */
  perRequest: Amount;
  /** Hand-backs on their way to the guard (their unused tokens are not in its bucket yet). */
  returning: Set<Promise<void>>;
}

/** Tenants remembered per isolate; the least recently seen is forgotten first (its lease handed back). */
const MAX_TENANTS = 1_000;
const tenants = new Map<string, TenantLeases>();

/** What a request admitted from a lease needs: the policy, its RateLimit figures, its account. */
export interface LeasedAdmission {
  policy: TenantPolicy;
  limit: number;
  remaining: number;
  resetSeconds: number;
  lease: LeaseAccount;
}

const minus = (a: Amount, b: Amount): Amount => ({ usd: a.usd - b.usd, neurons: a.neurons - b.neurons });
const fits = (estimate: Amount, left: Amount) => estimate.usd <= left.usd + 1e-12 && estimate.neurons <= left.neurons + 1e-9;

/**
 * Admits one request from this isolate's lease for the tenant, with no I/O: a token and the
 * request's estimate come out of the lease. Null when there is no usable lease (none yet, expired,
 * used up, the estimate does not fit, or the key was revoked when the lease was granted): the
 * caller then asks the guard. Renewal runs ahead of exhaustion, off the response path.
 */
export function admitFromLease(
  env: Bindings,
  request: { tenantId: string; keyId: string; estimate: Amount },
  waitUntil: (promise: Promise<unknown>) => void,
  nowMs = Date.now(),
): LeasedAdmission | null {
  const state = tenantState(env, request.tenantId, waitUntil, nowMs);
  observe(state, request.estimate, nowMs);
  for (const lease of state.active) if (nowMs >= lease.validUntilMs || lease.tokensLeft < 1) retire(env, lease, waitUntil);
  state.active = state.active.filter((lease) => !lease.retired);
  const newest = state.active.at(-1);
  // A key revoked when the newest lease was granted is the guard's to refuse.
  if (newest?.revoked.has(request.keyId)) return null;
  const held = state.active.find((lease) => fits(request.estimate, lease.budgetLeft));
  if (!held) {
    renew(env, request.tenantId, state, waitUntil, nowMs);
    return null;
  }
  held.tokensLeft -= 1;
  held.budgetLeft = minus(held.budgetLeft, request.estimate);
  held.inFlight += 1;
  // Ahead of exhaustion: half the newest lease's tokens or half its time gone.
  const latest = state.active.at(-1)!;
  const tokensHeld = state.active.reduce((sum, lease) => sum + lease.tokensLeft, 0);
  if (tokensHeld <= latest.grant.tokens / 2 || nowMs >= latest.validUntilMs - LEASE_VALID_MS / 2) renew(env, request.tenantId, state, waitUntil, nowMs);
  const limits = latest.grant.policy.limits;
  const remaining = Math.min(limits.burst, latest.grant.bucketRemaining + tokensHeld);
  return {
    policy: latest.grant.policy,
    limit: limits.burst,
    remaining,
    resetSeconds: limits.rpm > 0 ? Math.ceil(((limits.burst - remaining) * 60) / limits.rpm) : 0,
    lease: account(env, held, request.estimate, waitUntil),
  };
}

/**
 * Hands back this isolate's lease for the tenant (unused tokens and budget return to the guard) and
 * asks again only on the next request: after an admin change here (a revoked key, new limits or
 * task settings), so this isolate sees the change at once rather than when the lease ends.
 */
export function forgetLease(env: Bindings, tenantId: string, waitUntil: (promise: Promise<unknown>) => void): void {
  const state = tenants.get(tenantId);
  if (!state) return;
  for (const lease of state.active) retire(env, lease, waitUntil);
  state.active = [];
  state.notBeforeMs = 0;
}

function tenantState(env: Bindings, tenantId: string, waitUntil: (promise: Promise<unknown>) => void, nowMs: number): TenantLeases {
  let state = tenants.get(tenantId);
  if (state) {
    tenants.delete(tenantId);
  } else {
    state = { active: [], acquiring: false, notBeforeMs: 0, rate: 0, lastSeenMs: nowMs, perRequest: ZERO, returning: new Set() };
    if (tenants.size >= MAX_TENANTS) {
      const [oldest, forgotten] = tenants.entries().next().value as [string, TenantLeases];
      tenants.delete(oldest);
      for (const lease of forgotten.active) retire(env, lease, waitUntil);
    }
  }
  tenants.set(tenantId, state);
  return state;
}

function observe(state: TenantLeases, estimate: Amount, nowMs: number): void {
  const gapMs = Math.max(1, nowMs - state.lastSeenMs);
  // An exponential moving average of the instantaneous rate, over roughly the last second.
  const weight = Math.min(1, gapMs / 1_000);
  state.rate = state.rate * (1 - weight) + (1_000 / gapMs) * weight;
  state.lastSeenMs = nowMs;
  state.perRequest = { usd: Math.max(state.perRequest.usd, estimate.usd), neurons: Math.max(state.perRequest.neurons, estimate.neurons) };
}

function renew(env: Bindings, tenantId: string, state: TenantLeases, waitUntil: (promise: Promise<unknown>) => void, nowMs: number): void {
  if (state.acquiring || nowMs < state.notBeforeMs) return;
  state.acquiring = true;
  // Enough for one lease period at the recent rate, with room to grow.
  const tokens = Math.max(LEASE_MIN_TOKENS * 4, Math.min(LEASE_MAX_TOKENS, Math.ceil((state.rate * LEASE_VALID_MS * 1.5) / 1_000)));
  const asked = guardFor(env, tenantId)
    .lease({ tenantId, tokens, perRequest: state.perRequest })
    .then((grant) => {
      const receivedMs = Date.now();
      if (!grant) {
        state.notBeforeMs = receivedMs + LEASE_VALID_MS;
        return;
      }
      const held: HeldLease = {
        grant,
        validUntilMs: receivedMs + LEASE_VALID_MS,
        revoked: new Set(grant.revokedKeyIds),
        tokensLeft: grant.tokens,
        budgetLeft: { ...grant.budget },
        spent: ZERO,
        events: [],
        inFlight: 0,
        retired: false,
        returned: false,
        owner: state,
      };
      state.active.push(held);
      state.perRequest = ZERO;
      // Handed back when its time is up, even if no request comes to notice.
      waitUntil(scheduler.wait(LEASE_VALID_MS).then(() => retire(env, held, waitUntil)));
    })
    .catch((error: unknown) => {
      // The guard is unreachable: requests go to it one by one (and fail there) until it answers.
      console.error(JSON.stringify({ level: 'error', tenant_id: tenantId, error: `lease request failed: ${String(error)}` }));
      state.notBeforeMs = Date.now() + LEASE_VALID_MS;
    })
    .finally(() => {
      state.acquiring = false;
    });
  waitUntil(asked);
}

function account(env: Bindings, held: HeldLease, reserved: Amount, waitUntil: (promise: Promise<unknown>) => void): LeaseAccount {
  let finished = false;
  return {
    finish(actual, event) {
      if (finished) return;
      finished = true;
      held.budgetLeft = minus(add(held.budgetLeft, reserved), actual);
      held.spent = add(held.spent, actual);
      if (event) held.events.push(event);
      held.inFlight -= 1;
      if (held.retired && held.inFlight === 0) handBack(env, held, waitUntil);
    },
  };
}

function retire(env: Bindings, held: HeldLease, waitUntil: (promise: Promise<unknown>) => void): void {
  if (held.retired) return;
  held.retired = true;
  if (held.inFlight === 0) handBack(env, held, waitUntil);
}

/** One RPC per lease: its usage events, its actual spend, its unused tokens. */
function handBack(env: Bindings, held: HeldLease, waitUntil: (promise: Promise<unknown>) => void): void {
  if (held.returned) return;
  held.returned = true;
  const report = { id: held.grant.id, tokensUnused: Math.max(0, Math.floor(held.tokensLeft)), spent: held.spent, events: held.events };
  const returning: Promise<void> = guardFor(env, held.grant.policy.tenantId)
    .returnLease(report)
    .catch((error: unknown) => {
      // Not lost: the guard charges the lease in full when it expires and records it as unreported.
      console.error(JSON.stringify({ level: 'error', tenant_id: held.grant.policy.tenantId, lease: held.grant.id, events: report.events.length, error: `lease not handed back: ${String(error)}` }));
    })
    .finally(() => held.owner.returning.delete(returning));
  held.owner.returning.add(returning);
  waitUntil(returning);
}

/**
 * Resolves true once this isolate's hand-backs for the tenant that were under way have landed, when
 * there were any: a request the guard refused meanwhile may ask again, since the tokens it was
 * refused for may be among those handed back.
 */
export async function settleReturns(tenantId: string): Promise<boolean> {
  const returning = tenants.get(tenantId)?.returning;
  if (!returning || returning.size === 0) return false;
  await Promise.all([...returning]);
  return true;
}
