import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { LOCAL_TIER_REVISION } from '../src/providers/local/revision';
import { cacheKey, forgetInMemoryEntries, writeCached } from '../src/storage/response-cache';
import { kvKeys } from '../src/storage/kv-keys';
import { sentimentTask } from '../src/tasks/sentiment/task';
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

  it("does not serve a local-tier answer an older release cached: the key names the local tier's revision", async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['local'] } });
    const text = uniqueText('the screen is great but the battery dies by noon');
    const input = { text };
    const model = sentimentTask.providers.find((mapping) => mapping.provider === 'local')!.model;
    const keyFor = (revision: string) =>
      cacheKey({ scope: `tenant:${tenant.id}`, task: 'sentiment', model: `local/${model}${revision}`, item: sentimentTask.canonicalItem(text), options: sentimentTask.options(input) as Record<string, unknown> });
    // What the previous release (no revision in the key) and an older revision cached for this text.
    const stale = { result: { label: 'positive', score: 0.99 }, model, provider: 'local', cached_at: '2026-11-01T00:00:00.000Z' };
    await writeCached(env.CACHE, [{ key: await keyFor(''), value: stale }, { key: await keyFor('@2026-11-01'), value: stale }], 3600);
    const fresh = await sentiment(tenant.auth, text);
    expect(fresh.headers.get('x-cache')).toBe('MISS');
    expect((await json(fresh)).results[0]).not.toEqual(stale.result);
    // This release's answer is cached under this revision.
    const again = await sentiment(tenant.auth, text);
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect(await keyFor(`@${LOCAL_TIER_REVISION}`)).not.toBe(await keyFor(''));
  });

  it('keeps local-tier answers in the isolate only (a KV write costs ~1,000× recomputing them); upstream answers go to KV', async () => {
    const keyOf = async (tenantId: string, provider: string, text: string) => {
      const model = sentimentTask.providers.find((mapping) => mapping.provider === provider)!.model;
      const revision = provider === 'local' ? `@${LOCAL_TIER_REVISION}` : '';
      return cacheKey({ scope: `tenant:${tenantId}`, task: 'sentiment', model: `${provider}/${model}${revision}`, item: sentimentTask.canonicalItem(text), options: sentimentTask.options({ text }) as Record<string, unknown> });
    };
    const stored = async (key: string) => env.CACHE.get(kvKeys.cacheEntry(key));
    // Local only: a repeat is a hit from memory, and nothing is written to KV.
    const local = await createTenant({ providerOrder: { sentiment: ['local'] } });
    const localText = uniqueText('quick delivery, works as described');
    expect((await sentiment(local.auth, localText)).headers.get('x-cache')).toBe('MISS');
    expect((await sentiment(local.auth, localText)).headers.get('x-cache')).toBe('HIT');
    // Forgotten by the isolate, a local answer is computed again (free), never looked up in KV.
    forgetInMemoryEntries();
    const again = await sentiment(local.auth, localText);
    expect(again.headers.get('x-cache')).toBe('MISS');
    expect((await json(again)).usage.cost_usd).toBe(0);
    // A cascade: what the local tier kept stays in memory, what Workers AI answered is in KV.
    await configureTask(local.id, 'sentiment', { providers: ['local', 'workers-ai'], cascade: { threshold: 0.999 } });
    const escalated = uniqueText('the order came on time');
    expect((await json(await sentiment(local.auth, escalated))).provider).toBe('workers-ai');
    const upstream = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const upstreamText = uniqueText('great product');
    await sentiment(upstream.auth, upstreamText);
    const cascadeKey = await keyOf(local.id, 'local', escalated);
    const upstreamKey = await keyOf(upstream.id, 'workers-ai', upstreamText);
    for (let attempt = 0; attempt < 40 && (!(await stored(cascadeKey)) || !(await stored(upstreamKey))); attempt++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await stored(upstreamKey)).not.toBeNull();
    expect(await stored(cascadeKey)).not.toBeNull();
    expect(await stored(await keyOf(local.id, 'local', localText))).toBeNull();
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
