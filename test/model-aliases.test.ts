import { SELF } from 'cloudflare:test';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { MAX_MODEL_ALIASES } from '../src/storage/model-aliases';
import { createBot, createKnowledgeBase } from './chat/support';
import { ADMIN, call, createTenant, json, uniqueText, type TestTenant } from './support/api';

const client = (tenant: TestTenant) =>
  new OpenAI({ apiKey: tenant.key, baseURL: 'https://minnow.test/v1', maxRetries: 0, fetch: (url, init) => SELF.fetch(url as string, init as RequestInit) });

const setAlias = (tenantId: string, alias: string, target: string) => call(`/admin/tenants/${tenantId}/model-aliases/${encodeURIComponent(alias)}`, { method: 'PUT', headers: ADMIN, body: { target } });

async function aliasOk(tenantId: string, alias: string, target: string) {
  const response = await setAlias(tenantId, alias, target);
  const body = await json(response);
  if (response.status !== 200) throw new Error(`setting ${alias} failed: ${JSON.stringify(body)}`);
  return body;
}

const apiError = (error: unknown) => {
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
};

describe('OpenAI drop-in: model aliases', () => {
  it('text-embedding-3-small is a 404 naming what exists, then works through the openai client once aliased', async () => {
    const tenant = await createTenant();
    const openai = client(tenant);
    const input = [uniqueText('where is my parcel'), uniqueText('reset my password')];

    const before = apiError(await openai.embeddings.create({ model: 'text-embedding-3-small', input }).catch((error: unknown) => error));
    // OpenAI's answer to a model that does not exist: 404 model_not_found (its NotFoundError).
    expect(before).toBeInstanceOf(OpenAI.NotFoundError);
    expect((before.error as { code: string; param: string })).toMatchObject({ code: 'model_not_found', param: 'model' });
    expect(before.message).toContain("the tenant's embedding aliases: none");
    expect(before.message).toContain('@cf/baai/bge-small-en-v1.5');
    expect(before.message).toContain('PUT /admin/tenants/:id/model-aliases/:alias');

    expect(await aliasOk(tenant.id, 'text-embedding-3-small', '@cf/baai/bge-small-en-v1.5')).toMatchObject({
      alias: 'text-embedding-3-small',
      kind: 'embedding',
      target: '@cf/baai/bge-small-en-v1.5',
      created_at: expect.any(String),
    });

    const answer = await openai.embeddings.create({ model: 'text-embedding-3-small', input });
    expect(answer.model).toBe('@cf/baai/bge-small-en-v1.5');
    expect(answer.data.map((entry) => entry.embedding.length)).toEqual([384, 384]);
    // The same vectors (now cached) as naming the model itself.
    const direct = await openai.embeddings.create({ model: '@cf/baai/bge-small-en-v1.5', input });
    expect(direct.data[1]!.embedding).toEqual(answer.data[1]!.embedding);
    expect(direct.data[0]!.embedding).toEqual(answer.data[0]!.embedding);

    // A second alias shows up in the next error's list; `dimensions` is checked against the target.
    await aliasOk(tenant.id, 'text-embedding-ada-002', 'minnow/word-vectors-sif-100d');
    const unknown = apiError(await openai.embeddings.create({ model: 'text-embedding-3-large', input: 'x' }).catch((error: unknown) => error));
    expect(unknown.message).toContain('text-embedding-3-small → @cf/baai/bge-small-en-v1.5, text-embedding-ada-002 → minnow/word-vectors-sif-100d');
    const dims = apiError(await openai.embeddings.create({ model: 'text-embedding-ada-002', input: 'x', dimensions: 384 }).catch((error: unknown) => error));
    expect([dims.status, dims.message]).toEqual([400, expect.stringContaining('minnow/word-vectors-sif-100d produces 100-dimensional vectors')]);
  });

  it('are listed in GET /v1/models with what they point at', async () => {
    const tenant = await createTenant();
    const { id: bot } = await createBot(tenant.auth, { knowledge_bases: [(await createKnowledgeBase(tenant.auth)).id] });
    await aliasOk(tenant.id, 'text-embedding-3-small', '@cf/baai/bge-small-en-v1.5');
    await aliasOk(tenant.id, 'gpt-4o-mini', bot);
    await aliasOk(tenant.id, 'gpt-4o', '@cf/meta/llama-3.2-3b-instruct');
    const models = await client(tenant).models.list();
    const ids = models.data.map((model) => model.id);
    expect(ids.slice(0, 3)).toEqual(['gpt-4o', 'gpt-4o-mini', 'text-embedding-3-small']);
    expect(new Set(ids).size).toBe(ids.length);
    const byId = new Map(models.data.map((model) => [model.id, model as unknown as Record<string, unknown>]));
    expect(byId.get('text-embedding-3-small')).toMatchObject({ object: 'model', alias_of: '@cf/baai/bge-small-en-v1.5', tasks: ['embed'], provider: 'workers-ai', dimensions: 384, price: { usd_per_million: 0.02 } });
    // A bot naming no model has no one provider or price, and its entry says why.
    expect(byId.get('gpt-4o-mini')).toMatchObject({ alias_of: bot, tasks: ['chat'], available: true, description: expect.stringContaining('The bot names no model, so each turn is written by the first model') });
    expect(byId.get('gpt-4o-mini')!.provider).toBeUndefined();
    expect(byId.get('gpt-4o-mini')!.price).toBeUndefined();
    expect(byId.get('gpt-4o')).toMatchObject({ alias_of: '@cf/meta/llama-3.2-3b-instruct', tasks: ['chat'], provider: 'workers-ai' });
    // The catalog entries themselves are unchanged.
    expect(byId.get('@cf/baai/bge-small-en-v1.5')!.tasks).toEqual(expect.arrayContaining(['embed', 'similarity']));
  });

  it("a bot alias shows the provider and price of the model its bot names; a deleted bot's alias says so", async () => {
    const tenant = await createTenant();
    const kb = (await createKnowledgeBase(tenant.auth)).id;
    const { id: bot } = await createBot(tenant.auth, { knowledge_bases: [kb], model: '@cf/meta/llama-3.2-3b-instruct' });
    const { id: gone } = await createBot(tenant.auth, { knowledge_bases: [kb] });
    await aliasOk(tenant.id, 'gpt-4o-mini', bot);
    await aliasOk(tenant.id, 'gpt-3.5-turbo', gone);
    expect((await call(`/v1/bots/${gone}`, { method: 'DELETE', headers: tenant.auth })).status).toBe(200);
    const openai = client(tenant);
    const catalog = (await openai.models.retrieve('@cf/meta/llama-3.2-3b-instruct')) as unknown as Record<string, unknown>;
    const aliased = (await openai.models.retrieve('gpt-4o-mini')) as unknown as Record<string, unknown>;
    expect(aliased).toMatchObject({ id: 'gpt-4o-mini', alias_of: bot, tasks: ['chat'], provider: 'workers-ai', owned_by: 'cloudflare', price: catalog.price, available: catalog.available });
    expect(aliased.description).toContain('written by @cf/meta/llama-3.2-3b-instruct');
    const orphan = (await openai.models.retrieve('gpt-3.5-turbo')) as unknown as Record<string, unknown>;
    expect(orphan).toMatchObject({ alias_of: gone, available: false, description: expect.stringContaining('no longer exists') });
    const asked = apiError(await openai.chat.completions.create({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'Hi' }] }).catch((error: unknown) => error));
    expect(asked.status).toBe(404);
  });

  it('gpt-4o-mini answers as a bot or as a chat model; an unknown name is a 404 naming the aliases', async () => {
    const tenant = await createTenant();
    const { id: bot } = await createBot(tenant.auth, { knowledge_bases: [(await createKnowledgeBase(tenant.auth)).id] });
    const openai = client(tenant);
    const ask = (model: string) => openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'How long do refunds take?' }] });

    const before = apiError(await ask('gpt-4o-mini').catch((error: unknown) => error));
    expect([before.status, before.code]).toEqual([404, 'model_not_found']);
    expect(before.message).toContain("the tenant's chat aliases: none");
    expect(before.message).toContain('@cf/meta/llama-3.2-1b-instruct');

    await aliasOk(tenant.id, 'gpt-4o-mini', bot);
    const grounded = await ask('gpt-4o-mini');
    // OpenAI's `model` is what served the name (as /v1/embeddings answers an alias): here the bot.
    expect(grounded.model).toBe(bot);
    expect(grounded.choices[0]!.message.content).toBe('Refunds are paid back to the original card within 5 business days. [1]');
    expect((grounded as unknown as { minnow: { conversation_id: string } }).minnow.conversation_id).toMatch(/^conv_/);

    await aliasOk(tenant.id, 'gpt-4o-mini', '@cf/meta/llama-3.2-1b-instruct');
    const plain = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello there. How are you?' }] });
    expect(plain.choices[0]!.message.content).toBe('You said: Hello there.');
    expect((plain as unknown as { minnow: { mode: string; model: string } }).minnow).toMatchObject({ mode: 'generated', model: '@cf/meta/llama-3.2-1b-instruct' });
    expect(plain.model).toBe('@cf/meta/llama-3.2-1b-instruct');
    const chunks = [];
    for await (const chunk of await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello there. How are you?' }], stream: true, stream_options: { include_usage: true } })) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(2);
    expect(new Set(chunks.map((chunk) => chunk.model))).toEqual(new Set(['@cf/meta/llama-3.2-1b-instruct']));

    const unknown = apiError(await ask('gpt-4.1').catch((error: unknown) => error));
    expect(unknown.status).toBe(404);
    expect(unknown.message).toContain("the tenant's chat aliases: gpt-4o-mini → @cf/meta/llama-3.2-1b-instruct");
  });

  it('an alias answers only on its own route', async () => {
    const tenant = await createTenant();
    await aliasOk(tenant.id, 'text-embedding-3-small', '@cf/baai/bge-small-en-v1.5');
    await aliasOk(tenant.id, 'gpt-4o-mini', '@cf/meta/llama-3.2-1b-instruct');
    const openai = client(tenant);
    const chatWithEmbedder = apiError(await openai.chat.completions.create({ model: 'text-embedding-3-small', messages: [{ role: 'user', content: 'Hi' }] }).catch((error: unknown) => error));
    expect([chatWithEmbedder.status, chatWithEmbedder.message]).toEqual([400, expect.stringContaining('use it with POST /v1/embeddings')]);
    const embedWithChatter = apiError(await openai.embeddings.create({ model: 'gpt-4o-mini', input: 'Hi' }).catch((error: unknown) => error));
    expect([embedWithChatter.status, embedWithChatter.message]).toEqual([400, expect.stringContaining('use it with POST /v1/chat/completions')]);
  });

  it("are tenant-isolated: another tenant's alias is invisible and cannot be pointed at another tenant's bot", async () => {
    const owner = await createTenant();
    const other = await createTenant();
    const { id: bot } = await createBot(owner.auth, { knowledge_bases: [(await createKnowledgeBase(owner.auth)).id] });
    await aliasOk(owner.id, 'text-embedding-3-small', '@cf/baai/bge-small-en-v1.5');
    await aliasOk(owner.id, 'gpt-4o-mini', bot);

    const embedding = apiError(await client(other).embeddings.create({ model: 'text-embedding-3-small', input: 'x' }).catch((error: unknown) => error));
    expect(embedding.status).toBe(404);
    expect(embedding.message).toContain("the tenant's embedding aliases: none");
    const chat = apiError(await client(other).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] }).catch((error: unknown) => error));
    expect(chat.status).toBe(404);
    expect(chat.message).not.toContain(bot);
    const listed = (await client(other).models.list()).data.map((model) => model.id);
    expect(listed).not.toContain('text-embedding-3-small');
    expect(listed).not.toContain('gpt-4o-mini');
    expect((await json(await call(`/admin/tenants/${other.id}/model-aliases`, { headers: ADMIN }))).data).toEqual([]);

    const foreignBot = await setAlias(other.id, 'gpt-4o-mini', bot);
    expect([foreignBot.status, (await json(foreignBot)).error]).toEqual([400, expect.objectContaining({ param: 'target', message: `Tenant ${other.id} has no bot ${bot}` })]);
    // Deleting the other tenant's same-named alias touches nothing of the owner's.
    expect((await call(`/admin/tenants/${other.id}/model-aliases/gpt-4o-mini`, { method: 'DELETE', headers: ADMIN })).status).toBe(404);
    expect((await json(await call(`/admin/tenants/${owner.id}/model-aliases`, { headers: ADMIN }))).data.map((alias: { alias: string }) => alias.alias)).toEqual(['gpt-4o-mini', 'text-embedding-3-small']);
  });

  it.each([
    ['has space', '@cf/baai/bge-small-en-v1.5', 'alias'],
    ['-leading-dash', '@cf/baai/bge-small-en-v1.5', 'alias'],
    ['a'.repeat(65), '@cf/baai/bge-small-en-v1.5', 'alias'],
    ['bot_lookalike', '@cf/baai/bge-small-en-v1.5', 'alias'],
    ['text-embedding-3-small', 'text-embedding-3-large', 'target'],
    ['gpt-4o-mini', 'minnow/quote-passages', 'target'],
    ['gpt-4o-mini', 'bot_doesnotexist', 'target'],
  ])('refuses alias %j → %j, naming %s', async (alias, target, param) => {
    const tenant = await createTenant();
    const response = await setAlias(tenant.id, alias, target);
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatchObject({ code: 'invalid_field', param });
  });

  it('names the valid targets, and needs a tenant that exists and the admin token', async () => {
    const tenant = await createTenant();
    const unknownTarget = await json(await setAlias(tenant.id, 'gpt-4o-mini', 'gpt-4o'));
    expect(unknownTarget.error.message).toContain('@cf/baai/bge-small-en-v1.5');
    expect(unknownTarget.error.message).toContain('@cf/meta/llama-3.2-1b-instruct');
    expect((await setAlias('ten_missing', 'gpt-4o-mini', '@cf/meta/llama-3.2-1b-instruct')).status).toBe(404);
    const noToken = await call(`/admin/tenants/${tenant.id}/model-aliases/gpt-4o-mini`, { method: 'PUT', body: { target: '@cf/meta/llama-3.2-1b-instruct' } });
    expect(noToken.status).toBe(401);
    expect((await call(`/admin/tenants/${tenant.id}/model-aliases/gpt-4o-mini`, { method: 'PUT', headers: ADMIN, body: { target: '@cf/meta/llama-3.2-1b-instruct', extra: 1 } })).status).toBe(400);
  });

  it('deleting an alias makes the name unknown again at once', async () => {
    const tenant = await createTenant();
    await aliasOk(tenant.id, 'text-embedding-3-small', 'minnow/word-vectors-sif-100d');
    expect((await client(tenant).embeddings.create({ model: 'text-embedding-3-small', input: 'parcel' })).data).toHaveLength(1);
    const deleted = await call(`/admin/tenants/${tenant.id}/model-aliases/text-embedding-3-small`, { method: 'DELETE', headers: ADMIN });
    expect(await json(deleted)).toEqual({ alias: 'text-embedding-3-small', deleted: true });
    const after = apiError(await client(tenant).embeddings.create({ model: 'text-embedding-3-small', input: 'parcel' }).catch((error: unknown) => error));
    expect(after.status).toBe(404);
    expect((await call(`/admin/tenants/${tenant.id}/model-aliases/text-embedding-3-small`, { method: 'DELETE', headers: ADMIN })).status).toBe(404);
  });

  it(`are capped at ${MAX_MODEL_ALIASES} per tenant, also under concurrent writes; replacing one at the cap still works`, async () => {
    const tenant = await createTenant();
    const attempts = MAX_MODEL_ALIASES + 10;
    const responses = await Promise.all(Array.from({ length: attempts }, (_, index) => setAlias(tenant.id, `alias-${index}`, '@cf/baai/bge-small-en-v1.5')));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(MAX_MODEL_ALIASES);
    const refused = responses.filter((response) => response.status === 400);
    expect(refused).toHaveLength(attempts - MAX_MODEL_ALIASES);
    expect((await json(refused[0]!)).error).toMatchObject({ code: 'too_many_aliases', param: 'alias', message: expect.stringContaining(`already has ${MAX_MODEL_ALIASES} model aliases`) });
    const stored = (await json(await call(`/admin/tenants/${tenant.id}/model-aliases`, { headers: ADMIN }))).data as { alias: string }[];
    expect(stored).toHaveLength(MAX_MODEL_ALIASES);
    const replaced = await aliasOk(tenant.id, stored[0]!.alias, 'minnow/word-vectors-sif-100d');
    expect(replaced.target).toBe('minnow/word-vectors-sif-100d');
    expect(replaced.updated_at >= replaced.created_at).toBe(true);
  });
});
