import { DurableObject } from 'cloudflare:workers';
import type { Bindings } from '../env';
import { listRevokedKeyIds } from '../storage/api-keys';
import { listTaskConfigs } from '../storage/tenant-tasks';
import { getTenant, policyOf } from '../storage/tenants';
import type { TenantPolicy } from './policy';
import { freshBucket, takeToken, type BucketState } from './token-bucket';

export type AdmissionOutcome = 'admitted' | 'rate_limited' | 'budget_exhausted' | 'key_revoked' | 'unknown_tenant';

export interface Admission {
  outcome: AdmissionOutcome;
  /** Bucket size, for `RateLimit-Limit`. */
  limit: number;
  remaining: number;
  resetSeconds: number;
  retryAfterSeconds: number;
  policy: TenantPolicy | null;
}

interface SpendState {
  day: string;
  spentUsd: number;
}

const utcDay = (nowMs: number) => new Date(nowMs).toISOString().slice(0, 10);
const secondsToNextUtcDay = (nowMs: number) => Math.ceil((Date.UTC(...nextDayParts(nowMs)) - nowMs) / 1000);
function nextDayParts(nowMs: number): [number, number, number] {
  const now = new Date(nowMs);
  return [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1];
}

/**
 * One per tenant. Holds the tenant's token bucket, today's spend, its policy and its revoked
 * keys. A Durable Object runs one request at a time, so each decision here is exact under any
 * concurrency; the whole admission is a single RPC from the Worker.
 */
export class TenantGuard extends DurableObject<Bindings> {
  private policy: TenantPolicy | null = null;
  private revoked = new Set<string>();
  private bucket: BucketState | null = null;
  private spend: SpendState = { day: '', spentUsd: 0 };
  private loaded = false;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS guard_state (name TEXT PRIMARY KEY, value TEXT NOT NULL)');
    for (const row of ctx.storage.sql.exec<{ name: string; value: string }>('SELECT name, value FROM guard_state')) {
      if (row.name === 'bucket') this.bucket = JSON.parse(row.value) as BucketState;
      if (row.name === 'spend') this.spend = JSON.parse(row.value) as SpendState;
    }
  }

  /**
   * One request's admission: key not revoked, budget left (unless the request cannot spend, like
   * reading one's own usage), and a token from the bucket.
   */
  async admit(request: { tenantId: string; keyId: string; spends?: boolean; nowMs?: number }): Promise<Admission> {
    await this.load(request.tenantId);
    const nowMs = request.nowMs ?? Date.now();
    const policy = this.policy;
    if (!policy) return { outcome: 'unknown_tenant', limit: 0, remaining: 0, resetSeconds: 0, retryAfterSeconds: 0, policy: null };

    const base = { limit: policy.limits.burst, policy };
    if (this.revoked.has(request.keyId)) {
      return { ...base, outcome: 'key_revoked', remaining: 0, resetSeconds: 0, retryAfterSeconds: 0 };
    }

    this.rollSpend(nowMs);
    if (request.spends !== false && this.spend.spentUsd >= policy.limits.daily_budget_usd) {
      const untilTomorrow = secondsToNextUtcDay(nowMs);
      return { ...base, outcome: 'budget_exhausted', remaining: 0, resetSeconds: untilTomorrow, retryAfterSeconds: untilTomorrow };
    }

    const taken = takeToken(this.bucket ?? freshBucket(policy.limits, nowMs), policy.limits, nowMs);
    this.bucket = taken.state;
    this.save('bucket', taken.state);
    return {
      ...base,
      outcome: taken.allowed ? 'admitted' : 'rate_limited',
      remaining: taken.remaining,
      resetSeconds: Math.ceil(taken.resetMs / 1000),
      retryAfterSeconds: Math.ceil(taken.retryAfterMs / 1000),
    };
  }

  /** Adds what a call actually cost to today's spend. */
  async charge(costUsd: number, nowMs = Date.now()): Promise<void> {
    if (!(costUsd > 0)) return;
    this.rollSpend(nowMs);
    this.spend = { ...this.spend, spentUsd: this.spend.spentUsd + costUsd };
    this.save('spend', this.spend);
  }

  /** Re-reads the tenant after an admin change, so the very next request sees it. */
  async configure(tenantId: string): Promise<void> {
    this.loaded = false;
    await this.load(tenantId);
  }

  async revokeKey(keyId: string): Promise<void> {
    this.revoked.add(keyId);
  }

  async spentToday(nowMs = Date.now()): Promise<number> {
    this.rollSpend(nowMs);
    return this.spend.spentUsd;
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

  private rollSpend(nowMs: number): void {
    const day = utcDay(nowMs);
    if (this.spend.day !== day) this.spend = { day, spentUsd: 0 };
  }

  private save(name: string, value: unknown): void {
    this.ctx.storage.sql.exec('INSERT OR REPLACE INTO guard_state (name, value) VALUES (?, ?)', name, JSON.stringify(value));
  }
}
