import { describe, expect, it } from 'vitest';
import { call, createTenant, json } from './support/api';

describe('GET /v1/models', () => {
  it('lists every model with its task, provider and price, OpenAI-list-shaped', async () => {
    const tenant = await createTenant();
    const response = await call('/v1/models', { headers: tenant.auth });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.object).toBe('list');
    const distilbert = body.data.find((model: { id: string }) => model.id === '@cf/huggingface/distilbert-sst-2-int8');
    expect(distilbert).toMatchObject({
      object: 'model',
      owned_by: 'cloudflare',
      tasks: ['sentiment'],
      provider: 'workers-ai',
      available: true,
      price: { unit: 'input_token', usd_per_million: 0.026, neurons_per_million: 2394, source: 'published' },
    });
    for (const model of body.data) expect(model).toMatchObject({ id: expect.any(String), tasks: expect.any(Array), price: { usd_per_million: expect.any(Number) } });
    const bgeSmall = body.data.find((model: { id: string }) => model.id === '@cf/baai/bge-small-en-v1.5');
    expect(bgeSmall.tasks).toEqual(expect.arrayContaining(['embed', 'similarity', 'classify']));
    expect(new Set(body.data.map((model: { id: string }) => model.id)).size).toBe(body.data.length);
  });

  it('needs a valid key', async () => {
    expect((await call('/v1/models')).status).toBe(401);
    expect((await call('/v1/models', { headers: { authorization: `Bearer sk_${'B'.repeat(32)}` } })).status).toBe(401);
  });
});
