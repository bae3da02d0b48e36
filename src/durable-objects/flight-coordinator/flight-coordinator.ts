import { DurableObject } from 'cloudflare:workers';
import type { Bindings } from '../../contracts/env';
import type { CachedResult } from '../../storage/response-cache';

/** How long a finished flight's answer is kept for followers that joined but have not asked yet. */
const DONE_TTL_MS = 5_000;

interface Flight {
  expiresAtMs: number;
  waiters: ((value: CachedResult | null) => void)[];
  /** Followers that joined; those not yet waiting when the leader lands still get its answer. */
  followers: number;
}

/**
 * Single-flight across isolates, one per tenant (cache keys are tenant-scoped). The first request
 * to `join` a key leads: it calls the provider and `complete`s the key; requests that join while
 * the flight is open follow: `wait` holds them until the leader's answer (or null, when the leader
 * failed or the flight expired, and the follower must answer for itself). Memory only: a flight
 * outliving this object would only cost a duplicate call, never a wrong answer.
 */
export class FlightCoordinator extends DurableObject<Bindings> {
  private flights = new Map<string, Flight>();
  private done = new Map<string, { value: CachedResult; untilMs: number; owed: number }>();

  async join(keys: string[], ttlMs: number): Promise<{ lead: string[]; follow: string[] }> {
    const nowMs = Date.now();
    this.forgetExpired(nowMs);
    const lead: string[] = [];
    const follow: string[] = [];
    for (const key of keys) {
      const open = this.flights.get(key);
      if (open) {
        open.followers++;
        follow.push(key);
        continue;
      }
      // A finished flight is not a cache: a request arriving after it landed leads a new one.
      this.flights.set(key, { expiresAtMs: nowMs + ttlMs, waiters: [], followers: 0 });
      lead.push(key);
    }
    return { lead, follow };
  }

  async wait(keys: string[]): Promise<(CachedResult | null)[]> {
    return Promise.all(
      keys.map((key) => {
        const finished = this.done.get(key);
        if (finished) {
          if (--finished.owed <= 0) this.done.delete(key);
          return finished.value;
        }
        const flight = this.flights.get(key);
        if (!flight) return null;
        return new Promise<CachedResult | null>((resolve) => {
          flight.waiters.push(resolve);
          // The leader may die without completing: nobody waits past the flight's deadline.
          setTimeout(() => resolve(null), Math.max(0, flight.expiresAtMs - Date.now()));
        });
      }),
    );
  }

  /** The leader's answers (null where it has none to share); releases every waiter. */
  async complete(entries: { key: string; value: CachedResult | null }[]): Promise<void> {
    const nowMs = Date.now();
    for (const { key, value } of entries) {
      const flight = this.flights.get(key);
      this.flights.delete(key);
      const owed = (flight?.followers ?? 0) - (flight?.waiters.length ?? 0);
      if (value && owed > 0) this.done.set(key, { value, untilMs: nowMs + DONE_TTL_MS, owed });
      for (const resolve of flight?.waiters ?? []) resolve(value);
    }
  }

  private forgetExpired(nowMs: number): void {
    for (const [key, flight] of this.flights) if (flight.expiresAtMs <= nowMs) this.flights.delete(key);
    for (const [key, finished] of this.done) if (finished.untilMs <= nowMs) this.done.delete(key);
  }
}
