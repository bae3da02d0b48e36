import type { VisitorLimits } from '../../contracts/policy';
import { freshBucket, takeToken, type BucketState, type TakeResult } from './token-bucket';

/**
 * Most visitors a tenant's guard remembers. A visitor idle long enough for its bucket to be full
 * again is forgotten first (forgetting it changes nothing); only past this many *active* visitors
 * is the least recently seen one dropped early, which at worst hands it a fresh bucket — still
 * inside the tenant's own bucket.
 */
export const MAX_VISITORS = 10_000;

interface Entry {
  state: BucketState;
  limits: VisitorLimits;
}

/**
 * One token bucket per visitor of a tenant, inside the TenantGuard (so a visitor's check is part
 * of the one admission RPC). Kept in memory, written through to the guard's SQLite storage so a
 * restart of the Durable Object does not refill everyone's bucket.
 */
export class VisitorBuckets {
  /** Map order is least recently seen first: every take re-inserts its visitor at the end. */
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly sql: SqlStorage, private readonly maxVisitors = MAX_VISITORS) {
    sql.exec('CREATE TABLE IF NOT EXISTS visitor_buckets (visitor TEXT PRIMARY KEY, tokens REAL NOT NULL, updated_at_ms INTEGER NOT NULL, rpm INTEGER NOT NULL, burst INTEGER NOT NULL)');
    const rows = sql.exec<{ visitor: string; tokens: number; updated_at_ms: number; rpm: number; burst: number }>('SELECT * FROM visitor_buckets ORDER BY updated_at_ms');
    for (const row of rows) this.entries.set(row.visitor, { state: { tokens: row.tokens, updatedAtMs: row.updated_at_ms }, limits: { rpm: row.rpm, burst: row.burst } });
  }

  get size(): number {
    return this.entries.size;
  }

  /** What taking a token would do, without committing it (the tenant's bucket may still refuse). */
  peek(visitor: string, limits: VisitorLimits, nowMs: number): TakeResult {
    const previous = this.entries.get(visitor)?.state ?? freshBucket(limits, nowMs);
    return takeToken(previous, limits, nowMs);
  }

  /**
   * One request's take from each of `visitors` (a visitor token's bucket and its IP's): allowed
   * only when every one has a token, so the tightest decides; `commit` takes them all. `tightest`
   * is the refusing bucket that frees up last, else the admitting one with the fewest left.
   */
  take(visitors: string[], limits: VisitorLimits, nowMs: number): { allowed: boolean; tightest: TakeResult; commit: () => void } {
    const takes = visitors.map((visitor) => ({ visitor, take: this.peek(visitor, limits, nowMs) }));
    const refused = takes.map(({ take }) => take).filter((take) => !take.allowed);
    const tightest = refused.length > 0
      ? refused.reduce((a, b) => (b.retryAfterMs > a.retryAfterMs ? b : a))
      : takes.map(({ take }) => take).reduce((a, b) => (b.remaining < a.remaining ? b : a));
    return {
      allowed: refused.length === 0,
      tightest,
      commit: () => {
        for (const { visitor, take } of takes) this.commit(visitor, limits, take.state, nowMs);
      },
    };
  }

  commit(visitor: string, limits: VisitorLimits, state: BucketState, nowMs: number): void {
    this.entries.delete(visitor);
    this.entries.set(visitor, { state, limits });
    this.sql.exec('INSERT OR REPLACE INTO visitor_buckets (visitor, tokens, updated_at_ms, rpm, burst) VALUES (?, ?, ?, ?, ?)', visitor, state.tokens, state.updatedAtMs, limits.rpm, limits.burst);
    if (this.entries.size > this.maxVisitors) this.evict(nowMs);
  }

  /**
   * Forgets visitors whose bucket has refilled; if still too many, the least recently seen, down
   * to 90% of the cap so that the scan is not repeated on every new visitor.
   */
  private evict(nowMs: number): void {
    for (const [visitor, entry] of this.entries) {
      const refillMs = ((entry.limits.burst - entry.state.tokens) / entry.limits.rpm) * 60_000;
      if (entry.state.updatedAtMs + refillMs <= nowMs) this.forget(visitor);
    }
    const target = Math.floor(this.maxVisitors * 0.9);
    for (const visitor of this.entries.keys()) {
      if (this.entries.size <= target) break;
      this.forget(visitor);
    }
  }

  private forget(visitor: string): void {
    this.entries.delete(visitor);
    this.sql.exec('DELETE FROM visitor_buckets WHERE visitor = ?', visitor);
  }
}
