import { SELF } from 'cloudflare:test';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { ADMIN, call, createTenant, json, type TestTenant } from './support/api';

const client = (tenant: TestTenant) =>
  new OpenAI({ apiKey: tenant.key, baseURL: 'https://minnow.test/v1', maxRetries: 0, fetch: (url, init) => SELF.fetch(url as string, init as RequestInit) });

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

describe('GET /v1/models/{model} (OpenAI models.retrieve)', () => {
  it('answers every id the list has, slashes and aliases included, through the openai client', async () => {
    const tenant = await createTenant();
    const aliased = await call(`/admin/tenants/${tenant.id}/model-aliases/text-embedding-3-small`, { method: 'PUT', headers: ADMIN, body: { target: '@cf/baai/bge-small-en-v1.5' } });
    expect(aliased.status).toBe(200);
    const openai = client(tenant);
    const listed = (await openai.models.list()).data;
    expect(listed.length).toBeGreaterThan(10);
    for (const entry of listed) expect(await openai.models.retrieve(entry.id)).toEqual(entry);
    const alias = (await openai.models.retrieve('text-embedding-3-small')) as unknown as Record<string, unknown>;
    expect(alias).toMatchObject({ id: 'text-embedding-3-small', object: 'model', owned_by: 'cloudflare', alias_of: '@cf/baai/bge-small-en-v1.5', provider: 'workers-ai' });
  });

  it('takes the id percent-encoded as the openai client sends it, or with raw slashes as curl users type it', async () => {
    const tenant = await createTenant();
    const encoded = await call('/v1/models/@cf%2Fbaai%2Fbge-small-en-v1.5', { headers: tenant.auth });
    const raw = await call('/v1/models/@cf/baai/bge-small-en-v1.5', { headers: tenant.auth });
    const local = await call('/v1/models/minnow/word-vectors-sif-100d', { headers: tenant.auth });
    expect([encoded.status, raw.status, local.status]).toEqual([200, 200, 200]);
    const body = await json(encoded);
    expect(body).toMatchObject({ id: '@cf/baai/bge-small-en-v1.5', object: 'model', created: 0, owned_by: 'cloudflare', provider: 'workers-ai' });
    expect(await json(raw)).toEqual(body);
    expect(await json(local)).toMatchObject({ id: 'minnow/word-vectors-sif-100d', owned_by: 'minnow', provider: 'local' });
  });

  it("an unknown id is OpenAI's 404 model_not_found naming where the list is; another tenant's alias is unknown", async () => {
    const owner = await createTenant();
    const other = await createTenant();
    await call(`/admin/tenants/${owner.id}/model-aliases/gpt-4o-mini`, { method: 'PUT', headers: ADMIN, body: { target: '@cf/meta/llama-3.2-1b-instruct' } });
    for (const id of ['gpt-4o-mini', '@cf/nobody/nothing', 'text-embedding-3-small']) {
      const error = (await client(other).models.retrieve(id).catch((caught: unknown) => caught)) as InstanceType<typeof OpenAI.APIError>;
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error.error).toMatchObject({ type: 'not_found_error', code: 'model_not_found', param: 'model' });
      expect(error.message).toContain(`No model or alias ${id}; GET /v1/models lists`);
    }
    expect((await client(owner).models.retrieve('gpt-4o-mini')).id).toBe('gpt-4o-mini');
  });

  it('needs a valid key, and a wrong method is a 405', async () => {
    expect((await call('/v1/models/@cf/baai/bge-small-en-v1.5')).status).toBe(401);
    expect((await call('/v1/models/@cf/baai/bge-small-en-v1.5', { headers: { authorization: `Bearer sk_${'B'.repeat(32)}` } })).status).toBe(401);
    const tenant = await createTenant();
    const posted = await call('/v1/models/@cf/baai/bge-small-en-v1.5', { method: 'POST', headers: tenant.auth, body: {} });
    expect([posted.status, posted.headers.get('allow')]).toEqual([405, 'GET']);
  });
});
