import { describe, expect, it } from 'vitest';
import { aiCallsFor, call, createTenant, hfCallsFor, json, uniqueText } from './support/api';

const everyProvider = { sentiment: ['workers-ai', 'huggingface', 'local'] };

describe('provider routing and fallback', () => {
  it('uses the first provider when it works', async () => {
    const tenant = await createTenant({ providerOrder: everyProvider });
    const body = await json(await call('/v1/sentiment', { headers: tenant.auth, body: { text: 'I love it' } }));
    expect(body.provider).toBe('workers-ai');
    expect(body.fallback_from).toBeUndefined();
  });

  it('falls back to the next provider on an upstream failure and says so', async () => {
    const tenant = await createTenant({ providerOrder: everyProvider });
    const response = await call('/v1/sentiment', { headers: tenant.auth, body: { text: 'I love it [[ai:3040]]' } });
    const body = await json(response);
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ provider: 'huggingface', model: 'distilbert/distilbert-base-uncased-finetuned-sst-2-english' });
    expect(body.fallback_from).toEqual([{ provider: 'workers-ai', code: 'upstream_overloaded' }]);
    expect(response.headers.get('x-minnow-provider')).toBe('huggingface');
  });

  it('falls through to the local tier when both remote providers fail', async () => {
    const tenant = await createTenant({ providerOrder: everyProvider });
    const body = await json(await call('/v1/sentiment', { headers: tenant.auth, body: { text: 'I love it [[ai:hang]] [[hf:500]]' } }));
    expect(body.provider).toBe('local');
    expect(body.results[0].label).toBe('positive');
    expect(body.fallback_from.map((f: { code: string }) => f.code)).toEqual(['upstream_timeout', 'upstream_error']);
    expect(body.usage.cost_usd).toBe(0);
  });

  it('does not cache a fallback answer: the next request tries the primary again', async () => {
    const tenant = await createTenant({ providerOrder: everyProvider });
    const text = uniqueText('good [[ai:3040]]');
    await call('/v1/sentiment', { headers: tenant.auth, body: { text } });
    const again = await call('/v1/sentiment', { headers: tenant.auth, body: { text } });
    expect(again.headers.get('x-cache')).toBe('MISS');
    expect(await aiCallsFor(text)).toBe(2);
    expect(await hfCallsFor(text)).toBe(2);
  });

  it('reports every failure when no provider can answer', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['workers-ai', 'huggingface'] } });
    const response = await call('/v1/sentiment', { headers: tenant.auth, body: { text: 'x [[ai:3040]] [[hf:503]]' } });
    const body = await json(response);
    expect(response.status).toBe(503);
    expect(body.error.code).toBe('upstream_unavailable');
    expect(body.error.message).toContain('workers-ai');
    expect(body.error.message).toContain('huggingface');
    expect(response.headers.get('retry-after')).toBe('3');
  });

  it('skips providers that are not configured', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['local'] } });
    const body = await json(await call('/v1/sentiment', { headers: tenant.auth, body: { text: 'meh' } }));
    expect(body).toMatchObject({ provider: 'local', model: 'minnow/wink-sentiment-en' });
  });
});
