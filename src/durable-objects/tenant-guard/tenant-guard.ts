import { DurableObject } from 'cloudflare:workers';
import type { Bindings } from '../../contracts/env';
import { listRevokedKeyIds } from '../../storage/api-keys';
import { emitTenantEvent } from '../../tenant-events/emit';
import { listTaskConfigs } from '../../storage/tenant-tasks';
import { getTenant, policyOf } from '../../storage/tenants';
import { add, checkBudget, plannedEstimate, rollSpend, softLimitsCrossed, ZERO, type Amount, type BudgetCap, type ProviderEstimates, type Spend } from './budget';
import type { TenantPolicy, VisitorLimits } from '../../contracts/policy';
import { headroom, LEASE_VALID_MS, sizeLease, unreportedLeaseEvent, type Lease, type LeaseReport, type LeaseRequest } from './leases';
import { freshBucket, giveBack, refill, takeToken, takeTokens, type BucketState } from './token-bucket';
import { UsageOutbox } from './usage-outbox';
import { VisitorBuckets } from './visitor-buckets';

export type AdmissionOutcome = 'admitted' | 'rate_limited' | 'budget_exhausted' | 'key_revoked' | 'unknown_tenant';

export interface Admission {
  outcome: AdmissionOutcome;
  /** Bucket size, for `RateLimit-Limit`. */
  limit: number;
  remaining: number;
  resetSeconds: number;
  retryAfterSeconds: number;
  policy: TenantPolicy | null;
  /** Set when admitted with an estimate: settle it with what the call really cost. */
  reservation?: string;
  /** Set when refused for budget: which cap, and whether it is spent or this estimate does not fit. */
  budget?: { cap: BudgetCap; limit: number; exhausted: boolean };
  /** Which bucket refused a rate-limited request: the tenant's, or this visitor's own. */
  limitedBy?: 'tenant' | 'visitor';
}

/** A task request's estimate, for the guard to price on the tenant's plan: see plannedEstimate. */
export interface TaskPlanEstimate {
  task: string;
  providers: ProviderEstimates;
  /** The input names where it runs, whatever the tenant's plan: see plannedEstimate. */
  steered?: boolean;
}

/** A browser visitor of a publishable key, limited on its own inside the tenant's bucket. */
export interface VisitorAdmission {
  /** Opaque and already scoped by the caller (key id + hashed IP or visitor token id). */
  id: string;
  /**
   * When `id` names a visitor token: the bucket of the IP it is used from (key id + hashed IP),
   * drawn from too, so a token narrows what its IP may do and never widens it.
   */
  ip?: string;
  limits: VisitorLimits;
}

/**
 * A reservation not settled by then is assumed spent in full: the Worker that held it may have
 * called the provider and died before settling. Well past the provider timeout.
 */
const RESERVATION_TTL_MS = 120_000;
/** How soon the alarm tries again to send usage events the queue refused. */
const OUTBOX_RETRY_MS = 5_000;

/** A reservation: one request's estimate, or a lease's budget (with the tokens it took). */
type Held = Amount & { expiresAtMs: number; lease?: { tokens: number } };

/**
 * One per tenant. Holds the tenant's token bucket, spend and open reservations, its policy and
 * its revoked keys. A Durable Object runs one request at a time, so each decision here is exact
 * under any concurrency; the whole admission is a single RPC from the Worker.
 */
export class TenantGuard extends DurableObject<Bindings> {
  private policy: TenantPolicy | null = null;
  private revoked = new Set<string>();
  private bucket: BucketState | null = null;
  private spend: Spend = { day: '', month: '', dayUsd: 0, monthUsd: 0, dayNeurons: 0 };
  private reservations = new Map<string, Held>();
  private loaded = false;
  private readonly visitors: VisitorBuckets;
  private readonly outbox: UsageOutbox;
  /** Since this instance started, for tests and the docs' scale table: what each path costs the guard. */
  private readonly counts = { admissions: 0, leases: 0, leasesReturned: 0 };

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS guard_state (name TEXT PRIMARY KEY, value TEXT NOT NULL)');
    this.visitors = new VisitorBuckets(ctx.storage.sql);
    this.outbox = new UsageOutbox(ctx.storage.sql, env.USAGE);
    for (const row of ctx.storage.sql.exec<{ name: string; value: string }>('SELECT name, value FROM guard_state')) {
      if (row.name === 'bucket') this.bucket = JSON.parse(row.value) as BucketState;
      if (row.name === 'spend') this.spend = { ...this.spend, ...(JSON.parse(row.value) as Partial<Spend>) };
    }
  }

  /**
   * One request's admission: key not revoked, budget left for its estimated cost (reserved here,
   * unless the request cannot spend, like reading one's own usage), a token from the visitor's
   * bucket when a browser visitor is named (and from its IP's, when it is named by a token), and a
   * token from the tenant's bucket. A token is taken from none unless all have one, so a limited
   * visitor does not drain the tenant.
   */
  async admit(request: { tenantId: string; keyId: string; spends?: boolean; estimate?: Amount; plans?: TaskPlanEstimate[]; visitor?: VisitorAdmission; nowMs?: number }): Promise<Admission> {
    await this.load(request.tenantId);
    this.counts.admissions++;
    const nowMs = request.nowMs ?? Date.now();
    const policy = this.policy;
    if (!policy) return { outcome: 'unknown_tenant', limit: 0, remaining: 0, resetSeconds: 0, retryAfterSeconds: 0, policy: null };

    const base = { limit: policy.limits.burst, policy };
    if (this.revoked.has(request.keyId)) {
      return { ...base, outcome: 'key_revoked', remaining: 0, resetSeconds: 0, retryAfterSeconds: 0 };
    }

    // Tasks (one, or a webhook job's several) are priced here on the tenant's current plan.
    const estimate = request.plans ? request.plans.map((plan) => plannedEstimate(policy, plan)).reduce(add, ZERO) : (request.estimate ?? ZERO);
    if (request.spends !== false) {
      this.expireReservations(nowMs);
      this.spend = rollSpend(this.spend, nowMs);
      const refusal = checkBudget(policy.limits, this.spend, this.reserved(), estimate, nowMs);
      if (refusal) {
        const { cap, limit, exhausted } = refusal;
        return { ...base, outcome: 'budget_exhausted', remaining: 0, resetSeconds: refusal.resetSeconds, retryAfterSeconds: refusal.resetSeconds, budget: { cap, limit, exhausted } };
      }
    }

    const visitor = request.visitor;
    const visitorTake = visitor ? this.visitors.take(visitor.ip ? [visitor.id, visitor.ip] : [visitor.id], visitor.limits, nowMs) : null;
    if (visitor && visitorTake && !visitorTake.allowed) {
      return {
        ...base,
        limit: visitor.limits.burst,
        outcome: 'rate_limited',
        limitedBy: 'visitor',
        remaining: 0,
        resetSeconds: Math.ceil(visitorTake.tightest.resetMs / 1000),
        retryAfterSeconds: Math.ceil(visitorTake.tightest.retryAfterMs / 1000),
      };
    }

    const taken = takeToken(this.bucket ?? freshBucket(policy.limits, nowMs), policy.limits, nowMs);
    this.bucket = taken.state;
    this.save('bucket', taken.state);
    if (visitorTake && taken.allowed) visitorTake.commit();
    // The headers describe whichever bucket is closer to refusing: what the caller can count on.
    const tighter = visitor && visitorTake && taken.allowed && visitorTake.tightest.remaining < taken.remaining ? { take: visitorTake.tightest, limit: visitor.limits.burst } : { take: taken, limit: policy.limits.burst };
    const admission: Admission = {
      ...base,
      limit: tighter.limit,
      outcome: taken.allowed ? 'admitted' : 'rate_limited',
      ...(taken.allowed ? {} : { limitedBy: 'tenant' as const }),
      remaining: tighter.take.remaining,
      resetSeconds: Math.ceil(tighter.take.resetMs / 1000),
      retryAfterSeconds: Math.ceil(taken.retryAfterMs / 1000),
    };
    if (taken.allowed && request.spends !== false && (estimate.usd > 0 || estimate.neurons > 0)) {
      admission.reservation = crypto.randomUUID();
      this.reservations.set(admission.reservation, { ...estimate, expiresAtMs: nowMs + RESERVATION_TTL_MS });
    }
    return admission;
  }

  /**
   * Capacity for an isolate to admit from on its own for LEASE_VALID_MS: tokens taken from the
   * bucket now, budget reserved like a request's estimate. Null when the tenant asks for exact
   * admission, is unknown, or is too close to a cap (see sizeLease): the isolate then asks per request.
   */
  async lease(request: LeaseRequest): Promise<Lease | null> {
    await this.load(request.tenantId);
    const policy = this.policy;
    if (!policy || policy.limits.exact_admission) return null;
    const nowMs = request.nowMs ?? Date.now();
    this.expireReservations(nowMs);
    this.spend = rollSpend(this.spend, nowMs);
    const bucket = refill(this.bucket ?? freshBucket(policy.limits, nowMs), policy.limits, nowMs);
    const size = sizeLease(request, { tokens: bucket.tokens, headroom: headroom(policy.limits, this.spend, this.reserved()) });
    if (!size) return null;
    this.counts.leases++;
    this.bucket = takeTokens(bucket, size.tokens);
    this.save('bucket', this.bucket);
    const id = crypto.randomUUID();
    this.reservations.set(id, { ...size.budget, expiresAtMs: nowMs + RESERVATION_TTL_MS, lease: { tokens: size.tokens } });
    return { id, ...size, validUntilMs: nowMs + LEASE_VALID_MS, policy, revokedKeyIds: [...this.revoked], bucketRemaining: Math.floor(this.bucket.tokens) };
  }

  /**
   * A lease handed back: its usage events stored (then sent on), what its calls cost charged, its
   * unused tokens returned to the bucket. A report for a lease that already expired (charged in full
   * and recorded as unreported) charges nothing more.
   */
  async returnLease(report: LeaseReport, nowMs = Date.now()): Promise<void> {
    const held = this.reservations.get(report.id);
    const send = this.outbox.add(report.events);
    if (held?.lease) {
      this.counts.leasesReturned++;
      this.reservations.delete(report.id);
      this.charge(report.spent, nowMs);
      if (this.policy && this.bucket) {
        this.bucket = giveBack(refill(this.bucket, this.policy.limits, nowMs), this.policy.limits, Math.min(report.tokensUnused, held.lease.tokens));
        this.save('bucket', this.bucket);
      }
    } else {
      console.error(JSON.stringify({ level: 'warn', lease: report.id, events: report.events.length, error: 'lease returned after it expired; it was charged in full' }));
    }
    this.ctx.waitUntil(this.sendOrRetry(send));
  }

  /** Retries sending usage events the queue refused. */
  override async alarm(): Promise<void> {
    await this.sendOrRetry(() => this.outbox.flush());
  }

  async counters(): Promise<{ admissions: number; leases: number; leasesReturned: number }> {
    return { ...this.counts };
  }

  /** How many usage events wait in the outbox (for tests). */
  async heldUsageEvents(): Promise<number> {
    return this.outbox.size;
  }

  /** Sends events just stored; if the queue refuses, the alarm flushes the outbox later. */
  private async sendOrRetry(send: () => Promise<boolean>): Promise<void> {
    if (!(await send())) await this.ctx.storage.setAlarm(Date.now() + OUTBOX_RETRY_MS);
  }

  /** Releases a reservation and charges what the call actually cost (zero when it failed). */
  async settle(reservation: string | undefined, actual: Amount, nowMs = Date.now()): Promise<void> {
    if (reservation) this.reservations.delete(reservation);
    this.charge(actual, nowMs);
  }

  async spentToday(nowMs = Date.now()): Promise<number> {
    this.spend = rollSpend(this.spend, nowMs);
    return this.spend.dayUsd;
  }

  /** Re-reads the tenant after an admin change, so the very next request sees it. */
  async configure(tenantId: string): Promise<void> {
    this.loaded = false;
    await this.load(tenantId);
  }

  async revokeKey(keyId: string): Promise<void> {
    this.revoked.add(keyId);
  }

  /** How many visitors' buckets are held (for tests of the bound). */
  async visitorCount(): Promise<number> {
    return this.visitors.size;
  }

  private reserved(): Amount {
    let total = ZERO;
    for (const held of this.reservations.values()) total = add(total, held);
    return total;
  }

  private expireReservations(nowMs: number): void {
    for (const [id, held] of this.reservations) {
      if (held.expiresAtMs > nowMs) continue;
      this.reservations.delete(id);
      this.charge(held, nowMs);
      if (!held.lease || !this.policy) continue;
      this.ctx.waitUntil(this.sendOrRetry(this.outbox.add([unreportedLeaseEvent(id, this.policy.tenantId, { ...held, tokens: held.lease.tokens }, nowMs)])));
    }
  }

  /** Synchronous on purpose: spend is updated before anything can interleave. */
  private charge(amount: Amount, nowMs: number): void {
    if (!(amount.usd > 0) && !(amount.neurons > 0)) return;
    const before = rollSpend(this.spend, nowMs);
    this.spend = { ...before, dayUsd: before.dayUsd + amount.usd, monthUsd: before.monthUsd + amount.usd, dayNeurons: before.dayNeurons + amount.neurons };
    this.save('spend', this.spend);
    if (!this.policy) return;
    for (const cap of softLimitsCrossed(this.policy.limits, before, this.spend)) {
      // Off the admission path: the notice is recorded after this event has answered.
      this.ctx.waitUntil(emitTenantEvent(this.env, this.policy.tenantId, 'budget.soft_limit', { cap, ratio: this.policy.limits.soft_limit_ratio, spend: this.spend }));
    }
  }

  private async load(tenantId: string): Promise<void> {
    if (this.loaded) return;
    // Blocks other events until the tenant is known, so no request is judged without a policy.
    await this.ctx.blockConcurrencyWhile(async () => {
      if (this.loaded) return;
      const [tenant, revoked, tasks] = await Promise.all([
        getTenant(this.env.DB, tenantId),
        listRevokedKeyIds(this.env.DB, tenantId),
        listTaskConfigs(this.env.DB, tenantId),
      ]);
      this.policy = tenant ? policyOf(tenant, tasks) : null;
      for (const id of revoked) this.revoked.add(id);
      this.loaded = tenant !== null;
    });
  }

  private save(name: string, value: unknown): void {
    this.ctx.storage.sql.exec('INSERT OR REPLACE INTO guard_state (name, value) VALUES (?, ?)', name, JSON.stringify(value));
  }
}
