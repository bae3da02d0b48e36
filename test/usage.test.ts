import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { usageForTenant } from '../src/storage/usage';
import { call, createTenant, uniqueText } from './support/api';

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < 100 && !done(value); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

describe('usage metering', () => {
  it('records every request through the queue, with cost and cache status', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const text = uniqueText();
    const miss = await call('/v1/sentiment', { headers: tenant.auth, body: { text } });
    const hit = await call('/v1/sentiment', { headers: tenant.auth, body: { text } });
    const events = await eventually(() => usageForTenant(env.DB, tenant.id), (rows) => rows.length >= 2);
    expect(events).toHaveLength(2);
    const byId = new Map(events.map((event) => [event.request_id, event]));
    expect(byId.get(miss.headers.get('x-request-id')!)).toMatchObject({ key_id: tenant.keyId, task: 'sentiment', provider: 'workers-ai', cache_status: 'MISS', items: 1 });
    expect(byId.get(miss.headers.get('x-request-id')!)!.cost_usd).toBeGreaterThan(0);
    expect(byId.get(hit.headers.get('x-request-id')!)).toMatchObject({ cache_status: 'HIT', cost_usd: 0, cached_items: 1 });
    // The baseline is what the default neural model would have cost, hit or miss.
    expect(byId.get(hit.headers.get('x-request-id')!)!.baseline_cost_usd).toBeCloseTo(byId.get(miss.headers.get('x-request-id')!)!.cost_usd, 12);
  });
});
