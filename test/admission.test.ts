import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { takeToken, freshBucket } from '../src/durable-objects/token-bucket';
import { call, createTenant, json, uniqueText } from './support/api';

describe('token bucket', () => {
  const limits = { rpm: 60, burst: 3, daily_budget_usd: 1 };

  it('allows a burst, then refills at rpm', () => {
    let state = freshBucket(limits, 0);
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      const taken = takeToken(state, limits, 0);
      outcomes.push(taken.allowed);
      state = taken.state;
    }
    expect(outcomes).toEqual([true, true, true, false]);
    expect(takeToken(state, limits, 999).allowed).toBe(false);
    expect(takeToken(state, limits, 1000).allowed).toBe(true);
  });

  it('says when to retry and when the bucket is full', () => {
    const empty = { tokens: 0, updatedAtMs: 0 };
    const taken = takeToken(empty, limits, 0);
    expect(taken).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 1000, resetMs: 3000 });
  });

  it('clamps a bucket to a lowered burst', () => {
    const taken = takeToken({ tokens: 500, updatedAtMs: 0 }, limits, 0);
    expect(taken.remaining).toBe(2);
  });
});

describe('admission under concurrency', () => {
  it('admits exactly the limit out of many concurrent requests', async () => {
    const limit = 12;
    const tenant = await createTenant({ limits: { rpm: 1, burst: limit } });
    const responses = await Promise.all(
      Array.from({ length: 40 }, () => call('/v1/sentiment', { headers: tenant.auth, body: { text: 'same text' } })),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(limit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(40 - limit);
    const remaining = responses.filter((r) => r.status === 200).map((r) => Number(r.headers.get('ratelimit-remaining')));
    expect(new Set(remaining).size).toBe(limit);
    expect(Math.min(...remaining)).toBe(0);
    for (const response of responses.filter((r) => r.status === 429)) {
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
  });

  it('keeps tenants apart: one tenant at its limit does not limit another', async () => {
    const busy = await createTenant({ limits: { rpm: 1, burst: 1 } });
    const calm = await createTenant({ limits: { rpm: 1, burst: 5 } });
    await call('/v1/sentiment', { headers: busy.auth, body: { text: 'x' } });
    expect((await call('/v1/sentiment', { headers: busy.auth, body: { text: 'x' } })).status).toBe(429);
    expect((await call('/v1/sentiment', { headers: calm.auth, body: { text: 'x' } })).status).toBe(200);
  });

  it('charges what calls cost and stops the tenant once the day budget is spent', async () => {
    const tenant = await createTenant({ limits: { daily_budget_usd: 0.0000001 }, providerOrder: { sentiment: ['workers-ai'] } });
    const first = await call('/v1/sentiment', { headers: tenant.auth, body: { text: uniqueText('a paid call') } });
    expect(first.status).toBe(200);
    expect((await json(first)).usage.cost_usd).toBeGreaterThan(0.0000001);
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 402; attempt++) {
      status = (await call('/v1/sentiment', { headers: tenant.auth, body: { text: uniqueText() } })).status;
      if (status !== 402) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(402);
    const spent = await env.TENANT_GUARD.get(env.TENANT_GUARD.idFromName(tenant.id)).spentToday();
    expect(spent).toBeGreaterThan(0.0000001);
  });
});
