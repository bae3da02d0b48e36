import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { VisitorBuckets } from '../../src/durable-objects/tenant-guard/visitor-buckets';
import { json } from '../support/api';
import { publishableKey, sentiment } from './support';
import { guardFor } from '../../src/durable-objects/tenant-guard/client';

describe('per-visitor limits', () => {
  it('limits one visitor while another is still admitted', async () => {
    const pk = await publishableKey({ visitor_limits: { rpm: 1, burst: 2 } });
    const alice = pk.from(undefined, '198.51.100.1');
    const bob = pk.from(undefined, '198.51.100.2');
    expect((await sentiment(alice)).status).toBe(200);
    const second = await sentiment(alice);
    expect(second.status).toBe(200);
    expect(second.headers.get('ratelimit-limit')).toBe('2');
    expect(second.headers.get('ratelimit-remaining')).toBe('0');
    const limited = await sentiment(alice);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const { error } = await json(limited);
    expect(error.code).toBe('rate_limited');
    expect(error.message).toMatch(/visitor's rate limit of 1 requests per minute exceeded, with bursts of up to 2 \(RateLimit-Limit is the burst/);
    expect((await sentiment(bob)).status).toBe(200);
  });

  it('uses sensible defaults when the key sets none (20 per minute, burst 10)', async () => {
    const pk = await publishableKey();
    const visitor = pk.from(undefined, '198.51.100.10');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await sentiment(visitor)).status);
    expect(statuses.slice(0, 10).every((status) => status === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('keeps the tenant limit above every visitor', async () => {
    const pk = await publishableKey({ visitor_limits: { rpm: 60, burst: 10 } }, { limits: { rpm: 1, burst: 3 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await sentiment(pk.from(undefined, `192.0.2.${i + 1}`))).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await sentiment(pk.from(undefined, '192.0.2.99'));
    expect((await json(refused)).error.message).toMatch(/^Rate limit of 1 requests per minute exceeded, with bursts of up to 3 \(RateLimit-Limit is the burst\)/);
    expect(refused.headers.get('ratelimit-limit')).toBe('3');
  });

  it('does not charge a visitor for a request the tenant refused', async () => {
    const pk = await publishableKey({ visitor_limits: { rpm: 1, burst: 1 } }, { limits: { rpm: 1, burst: 1 } });
    expect((await sentiment(pk.from(undefined, '192.0.2.200'))).status).toBe(200);
    const refused = await sentiment(pk.from(undefined, '192.0.2.201'));
    expect((await json(refused)).error.message).toMatch(/^Rate limit/);
    // Only the admitted visitor holds a bucket; the refused one was never charged.
    expect(await guardFor(env, pk.tenant.id).visitorCount()).toBe(1);
  });

  it('stores no client IP in the guard', async () => {
    const pk = await publishableKey();
    await sentiment(pk.from(undefined, '203.0.113.250'));
    await runInDurableObject(guardFor(env, pk.tenant.id), async (_guard, state) => {
      const rows = [...state.storage.sql.exec<{ visitor: string }>('SELECT visitor FROM visitor_buckets')];
      expect(rows).toHaveLength(1);
      expect(rows[0]!.visitor).not.toContain('203.0.113.250');
    });
  });
});

describe('visitor buckets stay bounded', () => {
  const limits = { rpm: 60, burst: 5 };

  it('forgets idle visitors first, then the least recently seen', async () => {
    const stub = guardFor(env, `bounded-${crypto.randomUUID()}`);
    await runInDurableObject(stub, async (_guard, state) => {
      state.storage.sql.exec('DROP TABLE IF EXISTS visitor_buckets');
      const buckets = new VisitorBuckets(state.storage.sql, 10);
      const take = (visitor: string, nowMs: number) => buckets.commit(visitor, limits, buckets.peek(visitor, limits, nowMs).state, nowMs);
      // Ten visitors seen long ago (their buckets have refilled) and one active one.
      for (let i = 0; i < 10; i++) take(`idle-${i}`, 0);
      take('active', 1_000_000);
      expect(buckets.size).toBeLessThanOrEqual(10);
      for (let i = 0; i < 8; i++) take(`busy-${i}`, 1_000_000 + i);
      expect(buckets.size).toBeLessThanOrEqual(10);
      // The active visitor's bucket survived the idle ones' eviction and still holds its take.
      expect(buckets.peek('active', limits, 1_000_010).remaining).toBeLessThan(4);
      const stored = state.storage.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM visitor_buckets').one().n;
      expect(stored).toBe(buckets.size);
      // With only active visitors past the cap, the least recently seen go.
      for (let i = 0; i < 20; i++) take(`crowd-${i}`, 1_000_100 + i);
      expect(buckets.size).toBeLessThanOrEqual(10);
      expect(buckets.peek('active', limits, 1_000_200).remaining).toBe(4); // forgotten: a fresh bucket
    });
  });

  it('survives a restart of the guard (buckets are written through)', async () => {
    const stub = guardFor(env, `restart-${crypto.randomUUID()}`);
    await runInDurableObject(stub, async (_guard, state) => {
      const first = new VisitorBuckets(state.storage.sql);
      const now = Date.now();
      first.commit('v', limits, first.peek('v', limits, now).state, now);
      const second = new VisitorBuckets(state.storage.sql);
      expect(second.peek('v', limits, now).remaining).toBe(3);
    });
  });
});
