import { describe, expect, it } from 'vitest';
import { forgetInMemoryEntries } from '../src/storage/response-cache';
import { aiCallsFor, call, configureTask, createTenant, json, uniqueText } from './support/api';

const sentiment = (auth: Record<string, string>, text: string | string[], headers: Record<string, string> = {}) =>
  call('/v1/sentiment', { headers: { ...auth, ...headers }, body: { text } });

describe('response cache', () => {
  it('answers a repeat from the cache with no provider call and no cost', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const text = uniqueText('great product');
    const first = await sentiment(tenant.auth, text);
    const firstBody = await json(first);
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(firstBody.usage.cost_usd).toBeGreaterThan(0);

    const second = await sentiment(tenant.auth, text);
    const secondBody = await json(second);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(secondBody).toMatchObject({ cached: true, results: firstBody.results, model: firstBody.model, provider: 'workers-ai' });
    expect(secondBody.usage).toMatchObject({ cost_usd: 0, cached_items: 1, units: 0 });
    expect(await aiCallsFor(text)).toBe(1);
  });

  it('serves hits from KV when the isolate has not seen the entry', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const texts = [uniqueText('good'), uniqueText('bad'), uniqueText('fine')];
    const first = await json(await sentiment(tenant.auth, texts));
    // Writes finish in waitUntil; wait until KV has them, with the memory layer out of the way.
    let response: Response;
    for (let attempt = 0; ; attempt++) {
      forgetInMemoryEntries();
      response = await sentiment(tenant.auth, texts);
      if (response.headers.get('x-cache') === 'HIT' || attempt > 20) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(response.headers.get('x-cache')).toBe('HIT');
    expect((await json(response)).results).toEqual(first.results);
  });

  it('caches batch items one by one: only new items reach the provider', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const [seen, fresh] = [uniqueText('good'), uniqueText('bad')];
    await sentiment(tenant.auth, seen);
    const response = await sentiment(tenant.auth, [seen, fresh]);
    const body = await json(response);
    expect(response.headers.get('x-cache')).toBe('PARTIAL');
    expect(body.results.map((r: { label: string }) => r.label)).toEqual(['positive', 'negative']);
    expect(body.usage).toMatchObject({ items: 2, cached_items: 1 });
    expect(await aiCallsFor(seen)).toBe(1);
    expect(await aiCallsFor(fresh)).toBe(1);
  });

  it('bypasses the cache on Cache-Control: no-cache, and refreshes it', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const text = uniqueText();
    await sentiment(tenant.auth, text);
    const bypass = await sentiment(tenant.auth, text, { 'cache-control': 'no-cache' });
    expect(bypass.headers.get('x-cache')).toBe('MISS');
    expect(await aiCallsFor(text)).toBe(2);
    expect((await sentiment(tenant.auth, text)).headers.get('x-cache')).toBe('HIT');
  });

  it("never serves one tenant's cache entries to another", async () => {
    const [a, b] = [await createTenant({ providerOrder: { sentiment: ['workers-ai'] } }), await createTenant({ providerOrder: { sentiment: ['workers-ai'] } })];
    const text = uniqueText('love it');
    await sentiment(a.auth, text);
    expect((await sentiment(a.auth, text)).headers.get('x-cache')).toBe('HIT');
    const other = await sentiment(b.auth, text);
    expect(other.headers.get('x-cache')).toBe('MISS');
    expect(await aiCallsFor(text)).toBe(2);
  });

  it('keys entries by model: a tenant that switches provider does not get the old model’s answers', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const text = uniqueText();
    await sentiment(tenant.auth, text);
    await configureTask(tenant.id, 'sentiment', { providers: ['local'] });
    const switched = await sentiment(tenant.auth, text);
    expect(switched.headers.get('x-cache')).toBe('MISS');
    expect((await json(switched)).provider).toBe('local');
  });
});
