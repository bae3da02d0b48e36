import { DurableObject } from 'cloudflare:workers';
import type { Bindings } from '../../contracts/env';
import { freshBucket, refill, takeToken, type BucketState } from '../tenant-guard/token-bucket';

/**
 * Failed credential attempts one client address may make: a burst of 10, then one a minute (a
 * token bucket of failures). At that rate guessing a random token is hopeless, while an operator
 * who mistypes a few times is never locked out for long.
 */
export const AUTH_FAILURE_LIMITS = { burst: 10, rpm: 1 } as const;

export interface AuthVerdict {
  /** False once the address has used up its failures: refuse even a right guess, with 429. */
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * One per client address (the name is a hash of the address, never the address itself) and per
 * credential kind: counts its failed attempts. A Durable Object rather than KV because the count
 * must hold under concurrency — KV is eventually consistent (a write takes up to 60 s to be seen
 * everywhere), so 100 parallel guesses would each read "no failures yet" and all be tried; here
 * each attempt is judged one at a time on the exact count. One object per address also spreads
 * the load: no single object sees every failure.
 */
export class AuthThrottle extends DurableObject<Bindings> {
  private bucket: BucketState | null = null;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS failures (id INTEGER PRIMARY KEY CHECK (id = 1), tokens REAL NOT NULL, updated_at_ms INTEGER NOT NULL)');
    for (const row of ctx.storage.sql.exec<{ tokens: number; updated_at_ms: number }>('SELECT tokens, updated_at_ms FROM failures')) {
      this.bucket = { tokens: row.tokens, updatedAtMs: row.updated_at_ms };
    }
  }

  /**
   * Judges one attempt whose credential was already compared (`ok`): refused outright while the
   * address has no failures left — a right guess too, or throttling would not slow guessing; else
   * a failure uses one up. A success changes nothing, so it cannot reset an attacker's count.
   */
  async attempt(ok: boolean, nowMs = Date.now()): Promise<AuthVerdict> {
    const current = refill(this.bucket ?? freshBucket(AUTH_FAILURE_LIMITS, nowMs), AUTH_FAILURE_LIMITS, nowMs);
    if (current.tokens < 1) {
      const wait = takeToken(current, AUTH_FAILURE_LIMITS, nowMs).retryAfterMs;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) };
    }
    if (!ok) {
      this.bucket = takeToken(current, AUTH_FAILURE_LIMITS, nowMs).state;
      this.ctx.storage.sql.exec('INSERT OR REPLACE INTO failures (id, tokens, updated_at_ms) VALUES (1, ?, ?)', this.bucket.tokens, this.bucket.updatedAtMs);
    }
    return { allowed: true, retryAfterSeconds: 0 };
  }
}
