import { DEFAULT_LIMITS, type TenantPolicy } from '../../src/contracts/policy';
import { SELF, createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../src/index';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { MAX_MEANING_ITEMS, MAX_MEANING_TEXT_CHARS } from '../../src/tasks/embed/limits';
import { EMBED_MODEL_IDS } from '../../src/tasks/embed/models';
import { embedPolicy } from '../../src/tasks/embed/plan';
import { planProviders } from '../../src/providers/router';
import { hfEmbeddingRows, toEmbedResults } from '../../src/tasks/embed/providers';
import { embedResultSchema, type EmbedResult } from '../../src/tasks/embed/schema';
import { embedTask } from '../../src/tasks/embed/task';
import { cosineSimilarity, float32Base64 } from '../../src/lib/vectors';
import { aiCallsFor, call, configureTask, createTenant, hfCallRecord, hfCallsFor, hfOrigin, json, uniqueText, type TestTenant } from '../support/api';
import { callProvider, describeProviderContract, describeUpstreamFaults } from '../support/provider-contract';

const DIMS = { 'workers-ai': 384, huggingface: 384, local: 100 } as const;
const TEXTS = ['My parcel never arrived', 'The parcel I ordered has not arrived yet', 'How do I change my password?'];
const norm = (vector: number[]) => Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));

describeProviderContract(embedTask, {
  items: TEXTS,
  options: {},
  result: embedResultSchema,
  check: (results, provider) => {
    for (const result of results) {
      expect(result.dims).toBe(DIMS[provider]);
      expect(result.embedding).toHaveLength(result.dims);
      expect(norm(result.embedding)).toBeCloseTo(1, 3);
    }
    // The two delivery complaints are closer to each other than to the password question.
    const [parcel, pkg, password] = results.map((result) => result.embedding) as [number[], number[], number[]];
    expect(cosineSimilarity(parcel, pkg)).toBeGreaterThan(cosineSimilarity(parcel, password));
  },
});

describeUpstreamFaults(embedTask, (directive) => `some text ${directive}`, {});

describe('embed mappings: wire details', () => {
  it('Workers AI: a whole batch of misses in one call', async () => {
    const marker = crypto.randomUUID();
    const texts = Array.from({ length: MAX_MEANING_ITEMS }, (_, index) => `text ${index} ${marker}`);
    const results = await callProvider(embedTask, 'workers-ai', texts, {}, { timeoutMs: 5_000 });
    expect(results).toHaveLength(MAX_MEANING_ITEMS);
    expect(await aiCallsFor(marker)).toBe(1);
  });

  it('Hugging Face: one feature-extraction call to the model route; a bare row for one text is accepted', async () => {
    const [first, second] = [uniqueText('alpha'), uniqueText('beta')];
    await callProvider(embedTask, 'huggingface', [first, second], {});
    expect((await hfCallRecord(first)).paths).toEqual(['/models/BAAI/bge-small-en-v1.5/pipeline/feature-extraction']);
    expect(await hfCallsFor(second)).toBe(1);
    const [flat] = await callProvider(embedTask, 'huggingface', ['hello [[hf:flat]]'], {});
    expect(flat!.dims).toBe(384);
  });

  it('refuses answers that do not give one sentence vector per text', () => {
    expect(() => hfEmbeddingRows([0.1, 0.2], 2)).toThrow(/one vector for 2 texts/);
    expect(() => hfEmbeddingRows([[[0.1, 0.2]]], 1)).toThrow(/expected number\[\]\[\]/);
    expect(() => toEmbedResults('workers-ai', [[1, 0]], 2)).toThrow(/1 vectors for 2 texts/);
    expect(() => toEmbedResults('workers-ai', [[1, 0], [1]], 2)).toThrow(/different lengths/);
  });

  it('the local model gives a text with no known word the zero vector', async () => {
    const [unknown] = await callProvider(embedTask, 'local', ['ẞẞẞ 12345'], {});
    expect(unknown!.embedding.every((x) => x === 0)).toBe(true);
  });
});

describe('embed plan: the request model and same-space fallback', () => {
  const policy = (tasks: TenantPolicy['tasks'] = {}): TenantPolicy => ({ tenantId: 't', limits: { ...DEFAULT_LIMITS, rpm: 1, burst: 1, daily_budget_usd: 1 }, tasks });

  it('runs a requested model only on its provider, whatever the tenant configured', () => {
    const narrowed = embedPolicy(env, embedTask, policy({ embed: { providers: ['local'] } }), '@cf/baai/bge-base-en-v1.5');
    expect(narrowed.tasks.embed).toEqual({ providers: ['workers-ai'], models: { 'workers-ai': '@cf/baai/bge-base-en-v1.5' } });
  });

  it("names the requested model when its provider is not configured here, without claiming it was tried", () => {
    const narrowed = embedPolicy(env, embedTask, policy(), '@cf/baai/bge-base-en-v1.5');
    expect(() => planProviders({ ...env, WORKERS_AI: 'off' }, embedTask, narrowed)).toThrow(
      'No configured provider can serve embed: workers-ai (for @cf/baai/bge-base-en-v1.5) is not configured here (the task runs on: workers-ai, huggingface, local); see GET /healthz',
    );
  });

  it('falls back only between providers running the same weights with the same pooling', () => {
    // Workers AI bge pools by mean, Hugging Face bge by CLS: the same weights, two vector spaces.
    expect(embedPolicy(env, embedTask, policy(), undefined).tasks.embed!.providers).toEqual(['workers-ai']);
    expect(embedPolicy(env, embedTask, policy({ embed: { providers: ['huggingface', 'workers-ai'] } }), undefined).tasks.embed!.providers).toEqual(['huggingface']);
    expect(embedPolicy(env, embedTask, policy({ embed: { providers: ['local', 'workers-ai'] } }), undefined).tasks.embed!.providers).toEqual(['local']);
    const other = policy({ embed: { models: { huggingface: 'acme/own-embedder' } } });
    expect(embedPolicy(env, embedTask, other, undefined).tasks.embed!.providers).toEqual(['workers-ai']);
  });
});

const embed = (tenant: TestTenant, body: unknown, headers: Record<string, string> = {}) => call('/v1/embed', { headers: { ...tenant.auth, ...headers }, body });

describe('POST /v1/embed', () => {
  it('answers the envelope with one vector and its length per text', async () => {
    const tenant = await createTenant();
    const text = uniqueText('Where is my parcel?');
    const response = await embed(tenant, { text });
    const body = await json(response);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-cache')).toBe('MISS');
    expect(body).toMatchObject({ task: 'embed', provider: 'workers-ai', model: '@cf/baai/bge-small-en-v1.5', cached: false, usage: { items: 1, cached_items: 0 } });
    expect(body.results).toHaveLength(1);
    expect(body.results[0].dims).toBe(384);
    expect(body.usage.cost_usd).toBeGreaterThan(0);
    expect(body.usage.neurons).toBeGreaterThan(0);
  });

  it('caches per text: a batch sends only its new texts upstream and answers in input order', async () => {
    const tenant = await createTenant();
    const [seen, fresh] = [uniqueText('seen text'), uniqueText('fresh text')];
    const first = await json(await embed(tenant, { text: seen }));
    const partial = await embed(tenant, { text: [fresh, seen] });
    const body = await json(partial);
    expect(partial.headers.get('x-cache')).toBe('PARTIAL');
    expect(body.usage).toMatchObject({ items: 2, cached_items: 1 });
    expect(body.results[1]).toEqual(first.results[0]);
    expect([await aiCallsFor(seen), await aiCallsFor(fresh)]).toEqual([1, 1]);
    const hit = await embed(tenant, { text: [seen, fresh] });
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect((await json(hit)).usage.cost_usd).toBe(0);
  });

  it('runs the requested model on the provider that serves it; the cache keeps models apart', async () => {
    const tenant = await createTenant({ providerOrder: { embed: ['local'] } });
    const text = uniqueText('model choice');
    const base = await json(await embed(tenant, { text, model: '@cf/baai/bge-base-en-v1.5' }));
    expect(base).toMatchObject({ provider: 'workers-ai', model: '@cf/baai/bge-base-en-v1.5', cached: false });
    expect(base.results[0].dims).toBe(768);
    const small = await embed(tenant, { text, model: '@cf/baai/bge-small-en-v1.5' });
    expect(small.headers.get('x-cache')).toBe('MISS');
    expect((await json(small)).results[0].dims).toBe(384);
    const hf = await json(await embed(tenant, { text, model: 'BAAI/bge-small-en-v1.5' }));
    expect(hf).toMatchObject({ provider: 'huggingface', model: 'BAAI/bge-small-en-v1.5' });
    const local = await json(await embed(tenant, { text }));
    expect(local).toMatchObject({ provider: 'local', model: 'minnow/word-vectors-sif-100d', usage: { cost_usd: 0 } });
    expect(local.results[0].dims).toBe(100);
    // bge-base costs more per token than bge-small: each answer is priced from its own model.
    expect(base.usage.cost_usd).toBeGreaterThan((await json(await embed(tenant, { text: text + '!', model: '@cf/baai/bge-small-en-v1.5' }))).usage.cost_usd);
  });

  it('never falls back to a different vector space, not even the same weights pooled another way', async () => {
    const tenant = await createTenant();
    const unpooled = await embed(tenant, { text: uniqueText('fallback [[ai:3040]]') });
    expect(unpooled.status).toBe(503);
    expect((await json(unpooled)).error.code).toBe('upstream_overloaded');

    const pinned = await createTenant({ providerOrder: { embed: ['workers-ai', 'local'] } });
    const refused = await embed(pinned, { text: uniqueText('no fallback [[ai:3040]]') });
    expect(refused.status).toBe(503);
    expect((await json(refused)).error.code).toBe('upstream_overloaded');
  });

  it("serves embed from the tenant's own Hugging Face endpoint", async () => {
    const tenant = await createTenant();
    const url = `${hfOrigin()}/endpoints/embed/acme-tei`;
    await configureTask(tenant.id, 'embed', { providers: ['huggingface', 'local'], huggingface_endpoint: { url, token: 'hf_tenant_embed' } });
    const text = uniqueText('own endpoint');
    const body = await json(await embed(tenant, { text }));
    expect(body).toMatchObject({ provider: 'huggingface', model: `hf-endpoint:${new URL(url).host}/endpoints/embed/acme-tei`, usage: { cost_usd: 0 } });
    expect(await hfCallRecord(text)).toMatchObject({ paths: ['/endpoints/embed/acme-tei'], tokens: ['hf_tenant_embed'] });
  });

  it.each([
    [{ text: 'x'.repeat(MAX_MEANING_TEXT_CHARS + 1) }, 'text', String(MAX_MEANING_TEXT_CHARS)],
    [{ text: ['ok', ''] }, 'text.1', 'empty'],
    [{ text: Array.from({ length: MAX_MEANING_ITEMS + 1 }, () => 'x') }, 'text', String(MAX_MEANING_ITEMS)],
    [{ text: [] }, 'text', 'at least one'],
    [{ text: 'x', model: 'text-embedding-3-small' }, 'model', EMBED_MODEL_IDS.join(', ')],
    [{}, 'text', 'Missing'],
    [{ text: 'x', dims: 3 }, 'dims', 'Unknown'],
  ])('refuses %#: 400 naming %s', async (body, param, mention) => {
    const tenant = await createTenant();
    const response = await embed(tenant, body);
    expect(response.status).toBe(400);
    const { error } = await json(response);
    expect(error.param).toBe(param);
    expect(error.message).toContain(mention);
  });
});

const client = (tenant: TestTenant) =>
  new OpenAI({ apiKey: tenant.key, baseURL: 'https://minnow.test/v1', maxRetries: 0, fetch: (url, init) => SELF.fetch(url as string, init as RequestInit) });

describe('POST /v1/embeddings (OpenAI-compatible)', () => {
  it('a model no provider here can run is a 503 the official client does not retry (x-should-retry: false)', async () => {
    const tenant = await createTenant();
    // The same Worker as a deployment without Workers AI credentials runs it (npm start: WORKERS_AI=off).
    const withoutWorkersAi = { ...env, WORKERS_AI: 'off' };
    let calls = 0;
    const openai = new OpenAI({
      apiKey: tenant.key,
      baseURL: 'https://minnow.test/v1',
      maxRetries: 2,
      fetch: async (url, init) => {
        calls++;
        const ctx = createExecutionContext();
        const response = await worker.fetch(new Request(url as string, init as RequestInit), withoutWorkersAi as never, ctx);
        await waitOnExecutionContext(ctx);
        return response;
      },
    });
    const failure = await openai.embeddings.create({ model: '@cf/baai/bge-small-en-v1.5', input: uniqueText('hello') }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((failure as InstanceType<typeof OpenAI.APIError>).headers?.get('x-should-retry')).toBe('false');
    expect(calls).toBe(1);
  });

  it('works with the official openai client (base64 by default, decoded by the client)', async () => {
    const tenant = await createTenant();
    const input = [uniqueText('first'), uniqueText('second')];
    const answer = await client(tenant).embeddings.create({ model: '@cf/baai/bge-small-en-v1.5', input });
    expect(answer).toMatchObject({ object: 'list', model: '@cf/baai/bge-small-en-v1.5' });
    expect(answer.data.map((entry) => [entry.object, entry.index, entry.embedding.length])).toEqual([['embedding', 0, 384], ['embedding', 1, 384]]);
    expect(answer.usage.prompt_tokens).toBeGreaterThan(0);
    expect(answer.usage.total_tokens).toBe(answer.usage.prompt_tokens);
    // Same vectors as the native route (now cached), to float32 precision.
    const native = await json(await embed(tenant, { text: input }));
    native.results.forEach((result: EmbedResult, index: number) => {
      answer.data[index]!.embedding.forEach((value, position) => expect(value).toBeCloseTo(result.embedding[position]!, 6));
    });
  });

  it('answers floats when asked, and runs the local model', async () => {
    const tenant = await createTenant();
    const answer = await client(tenant).embeddings.create({ model: 'minnow/word-vectors-sif-100d', input: 'where is my parcel', encoding_format: 'float' });
    expect(answer.model).toBe('minnow/word-vectors-sif-100d');
    expect(answer.data[0]!.embedding).toHaveLength(100);
  });

  it('encodes base64 as little-endian float32', async () => {
    expect(float32Base64([1, -2])).toBe('AACAPwAAAMA=');
    const tenant = await createTenant();
    const response = await call('/v1/embeddings', { headers: tenant.auth, body: { model: '@cf/baai/bge-small-en-v1.5', input: 'hello', encoding_format: 'base64' } });
    expect(response.headers.get('x-minnow-provider')).toBe('workers-ai');
    const body = await json(response);
    expect(typeof body.data[0].embedding).toBe('string');
    expect(atob(body.data[0].embedding)).toHaveLength(384 * 4);
  });

  it.each([
    [{ input: 'x' }, 'model', 'missing_field', 400],
    // A model that does not exist: OpenAI's 404 model_not_found, as chat completions answers it.
    [{ input: 'x', model: 'text-embedding-3-small' }, 'model', 'model_not_found', 404],
    [{ input: [1, 2, 3], model: '@cf/baai/bge-small-en-v1.5' }, 'input.0', 'invalid_field', 400],
    [{ input: 'x', model: '@cf/baai/bge-small-en-v1.5', dimensions: 256 }, 'dimensions', 'invalid_field', 400],
    [{ input: 'x', model: '@cf/baai/bge-small-en-v1.5', encoding_format: 'int8' }, 'encoding_format', 'invalid_field', 400],
  ])('refuses %j in minnow’s error shape, naming %s', async (body, param, code, status) => {
    const tenant = await createTenant();
    const response = await call('/v1/embeddings', { headers: tenant.auth, body });
    expect(response.status).toBe(status);
    expect((await json(response)).error).toMatchObject({ param, code });
  });

  it('surfaces errors to the openai client as API errors; needs the embed scope', async () => {
    const tenant = await createTenant();
    const error = await client(tenant).embeddings.create({ model: '@cf/baai/bge-small-en-v1.5', input: 'x', dimensions: 64 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    const scoped = await createTenant({ scopes: ['sentiment'] });
    const response = await call('/v1/embeddings', { headers: scoped.auth, body: { model: '@cf/baai/bge-small-en-v1.5', input: 'x' } });
    expect([response.status, (await json(response)).error.code]).toEqual([403, 'scope_not_allowed']);
  });
});

describe('OpenAPI', () => {
  it('documents the meaning routes with their limits', async () => {
    const doc = await json(await call('/openapi.json'));
    for (const path of ['/v1/embed', '/v1/embeddings', '/v1/similarity', '/v1/rerank']) {
      expect(doc.paths[path].post.description).toContain(String(MAX_MEANING_ITEMS));
      expect(doc.paths[path].post.description).toContain(String(MAX_MEANING_TEXT_CHARS));
    }
    const embedText = doc.components.schemas.EmbedRequest.properties.text;
    expect(JSON.stringify(embedText)).toContain(`"maxItems":${MAX_MEANING_ITEMS}`);
    expect(JSON.stringify(embedText)).toContain(`"maxLength":${MAX_MEANING_TEXT_CHARS}`);
    expect(doc.components.schemas.EmbedRequest.properties.model.enum).toEqual(EMBED_MODEL_IDS);
  });
});
