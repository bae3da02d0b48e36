import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { guardFor } from '../../src/durable-objects/tenant-guard/client';
import { DEFAULT_LIMITS } from '../../src/contracts/policy';
import { planProviders } from '../../src/providers/router';
import { putTaskConfig } from '../../src/storage/tenant-tasks';
import { modelForPair } from '../../src/tasks/translate/models';
import { MAX_TRANSLATE_CHARS, MAX_TRANSLATE_TEXTS, translateResultSchema } from '../../src/tasks/translate/schema';
import { translateTask } from '../../src/tasks/translate/task';
import { aiCallsFor, call, configureTask, createTenant, hfCallRecord, hfOrigin, json, uniqueText } from '../support/api';
import { callProvider, describeProviderContract, describeUpstreamFaults, failureOf } from '../support/provider-contract';

const TEXTS = ['Good morning, how are you?', 'Where is the train station?', 'The invoice is attached.'];

describeProviderContract(translateTask, {
  items: TEXTS,
  options: { target: 'es', source: 'en' },
  result: translateResultSchema,
  check: (results) => {
    // Both stand-ins tag their "translation" with the pair they were asked for.
    expect(results).toEqual(TEXTS.map((text) => ({ translation: `[en→es] ${text}`, source: 'en' })));
  },
});

describeUpstreamFaults(translateTask, (directive) => `Good morning ${directive}`, { target: 'de', source: 'en' });

// Detection runs inside the provider call, so the first one in an isolate (eld loading its n-gram
// table, ~1 s here) counts against the provider timeout: these calls get more than the tests' 1 s.
const DETECTING = { timeoutMs: 5_000 };

describe('translate: the source language', () => {
  it.each(translateTask.providers.map((mapping) => [mapping.provider] as const))('%s: detects each text\'s language when source is omitted', async (provider) => {
    const texts = ['Where is the nearest pharmacy, please?', 'Où se trouve la pharmacie la plus proche ?', 'Wo ist die nächste Apotheke, bitte?'];
    const results = await callProvider(translateTask, provider, texts, { target: 'es' }, DETECTING);
    expect(results.map((result) => result.source)).toEqual(['en', 'fr', 'de']);
    expect(results[1]!.translation).toBe(`[fr→es] ${texts[1]}`);
  });

  it('returns a text already in the target language as it is, without a call', async () => {
    const text = `¿Dónde está la estación de tren más cercana? ${crypto.randomUUID()}`;
    const [result] = await callProvider(translateTask, 'workers-ai', [text], { target: 'es' }, DETECTING);
    expect(result).toEqual({ translation: text, source: 'es' });
    expect(await aiCallsFor(text)).toBe(0);
  });

  it('takes a text with no detectable language as English', async () => {
    const [result] = await callProvider(translateTask, 'workers-ai', ['#4411 — 2025'], { target: 'fr' }, DETECTING);
    expect(result).toEqual({ translation: '[en→fr] #4411 — 2025', source: 'en' });
  });

  it('refuses a text in a language it does not translate, naming the text', async () => {
    const error = await failureOf(
      callProvider(translateTask, 'workers-ai', ['Good morning', 'Dov\'è la stazione dei treni più vicina, per favore?'], { target: 'fr' }, DETECTING),
    );
    expect([error.status, error.code, error.param]).toEqual([400, 'unsupported_source_language', 'text.1']);
    expect(error.message).toContain('"it"');
  });
});

describe('translate on huggingface: one opus-mt model per language pair', () => {
  it('posts to the pair\'s model and reads the bare object as well as the list', async () => {
    const text = uniqueText('Good evening');
    const [listed] = await callProvider(translateTask, 'huggingface', [text], { target: 'de', source: 'en' });
    expect((await hfCallRecord(text)).paths).toEqual(['/models/Helsinki-NLP/opus-mt-en-de']);
    const [bare] = await callProvider(translateTask, 'huggingface', [`${text} [[hf:object]]`], { target: 'de', source: 'en' });
    expect(bare!.translation).toBe(`${listed!.translation} [[hf:object]]`);
  });

  it("uses a tenant's own model as given", () => {
    expect(modelForPair('Helsinki-NLP/opus-mt-{src}-{tgt}', 'fr', 'en')).toBe('Helsinki-NLP/opus-mt-fr-en');
    expect(modelForPair('facebook/m2m100_418M', 'fr', 'en')).toBe('facebook/m2m100_418M');
  });
});

describe('translate without a provider', () => {
  const policy = { tenantId: 'ten_none', limits: DEFAULT_LIMITS, tasks: {} };

  it('has no local tier: with neither remote provider configured (npm start, no credentials) the router says what it needs', () => {
    expect(translateTask.providers.map((mapping) => mapping.provider)).toEqual(['workers-ai', 'huggingface']);
    const bare = { ...env, WORKERS_AI: 'off', HF_TOKEN: undefined, DEFAULT_PROVIDER_ORDER: 'workers-ai,huggingface,local' };
    let thrown: any;
    try {
      planProviders(bare, translateTask, policy);
    } catch (error) {
      thrown = error;
    }
    expect([thrown?.status, thrown?.code]).toEqual([503, 'no_provider_available']);
    expect(thrown.message).toContain('the task runs on: workers-ai, huggingface');
  });

  it('answers 503 no_provider_available to a tenant pinned to providers that cannot translate', async () => {
    const tenant = await createTenant();
    // The admin API refuses "local" for translate; a configuration stored before the task lost a
    // provider (or written by hand) can still name one, and the request must fail clearly.
    await putTaskConfig(env.DB, tenant.id, 'translate', { providers: ['local'] });
    await guardFor(env, tenant.id).configure(tenant.id);
    const response = await call('/v1/translate', { headers: tenant.auth, body: { text: 'Good morning', target: 'es' } });
    const body = await json(response);
    expect(response.status).toBe(503);
    expect(body.error.code).toBe('no_provider_available');
    expect(body.error.message).toContain('the task runs on: workers-ai, huggingface');
  });

  it('is refused by the admin API for the local provider', async () => {
    const tenant = await createTenant();
    const response = await call(`/admin/tenants/${tenant.id}/tasks/translate`, { method: 'PUT', headers: { authorization: 'Bearer dev-admin-token' }, body: { providers: ['local'] } });
    expect(response.status).toBe(400);
    expect((await json(response)).error.param).toBe('providers.0');
  });
});

const translate = (auth: Record<string, string>, body: unknown) => call('/v1/translate', { headers: auth, body });

describe('POST /v1/translate', () => {
  it('answers the envelope on Workers AI, billing input and output tokens', async () => {
    const tenant = await createTenant();
    const texts = [uniqueText('Good morning'), uniqueText('Thank you very much')];
    const response = await translate(tenant.auth, { text: texts, target: 'fr', source: 'en' });
    const body = await json(response);
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ task: 'translate', provider: 'workers-ai', model: '@cf/meta/m2m100-1.2b', usage: { items: 2, cached_items: 0 } });
    expect(body.results).toEqual(texts.map((text) => ({ translation: `[en→fr] ${text}`, source: 'en' })));
    const inputTokens = texts.reduce((sum, text) => sum + Math.ceil(new TextEncoder().encode(text).length / 4) + 2, 0);
    expect(body.usage.units).toBe(inputTokens * 2);
    expect(body.usage.cost_usd).toBeCloseTo((inputTokens * 2 * 0.342) / 1e6, 12);
  });

  it('caches per text and language pair (x-cache PARTIAL sends only the new text)', async () => {
    const tenant = await createTenant();
    const [seen, fresh] = [uniqueText('Good night'), uniqueText('See you soon')];
    await translate(tenant.auth, { text: seen, target: 'de', source: 'en' });
    const partial = await translate(tenant.auth, { text: [seen, fresh], target: 'de', source: 'en' });
    expect(partial.headers.get('x-cache')).toBe('PARTIAL');
    expect([await aiCallsFor(seen), await aiCallsFor(fresh)]).toEqual([1, 1]);
    expect((await translate(tenant.auth, { text: seen, target: 'fr', source: 'en' })).headers.get('x-cache')).toBe('MISS');
  });

  it.each([
    ['an unsupported target', { text: 'Hello', target: 'it' }, 'target', 'en, zh, fr, es, ar, ru, de, ja, pt, hi'],
    ['an unsupported source', { text: 'Hello', target: 'es', source: 'xx' }, 'source', 'ISO 639-1'],
    ['the same source and target', { text: 'Hello', target: 'es', source: 'es' }, 'target', 'differ'],
    ['a text over the length limit', { text: 'a'.repeat(MAX_TRANSLATE_CHARS + 1), target: 'es' }, 'text', String(MAX_TRANSLATE_CHARS)],
    ['a missing target', { text: 'Hello' }, 'target', 'target'],
    ['a batch over the limit', { text: Array.from({ length: MAX_TRANSLATE_TEXTS + 1 }, () => 'Hello'), target: 'es' }, 'text', `at most ${MAX_TRANSLATE_TEXTS} texts`],
  ])('refuses %s, naming the field and the limit', async (_, body, param, mentioned) => {
    const tenant = await createTenant();
    const response = await translate(tenant.auth, body);
    const error = (await json(response)).error;
    expect(response.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toContain(mentioned);
  });

  it('refuses a text in an unsupported language with 400, before any upstream call', async () => {
    const tenant = await createTenant();
    const text = `Buongiorno, vorrei prenotare un tavolo per due persone stasera. ${crypto.randomUUID()}`;
    const response = await translate(tenant.auth, { text, target: 'en' });
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatchObject({ code: 'unsupported_source_language', param: 'text' });
    expect(await aiCallsFor(text)).toBe(0);
  });

  it("runs on the tenant's own Hugging Face endpoint", async () => {
    const tenant = await createTenant();
    const url = `${hfOrigin()}/endpoints/translate/acme-nllb`;
    await configureTask(tenant.id, 'translate', { providers: ['huggingface'], huggingface_endpoint: { url, token: 'hf_acme_mt' } });
    const text = uniqueText('Good morning');
    const body = await json(await translate(tenant.auth, { text, target: 'pt', source: 'en' }));
    expect(body).toMatchObject({ provider: 'huggingface', results: [{ translation: `[en→pt] ${text}`, source: 'en' }] });
    expect(await hfCallRecord(text)).toMatchObject({ paths: ['/endpoints/translate/acme-nllb'], tokens: ['hf_acme_mt'] });
  });
});

describe('translate in the OpenAPI document', () => {
  it('documents the route, the languages and the limits', async () => {
    const spec = await json(await call('/openapi.json'));
    expect(spec.paths['/v1/translate'].post.description).toContain('no_provider_available');
    const request = JSON.stringify(spec.components.schemas.TranslateRequest);
    expect(request).toContain('en, zh, fr, es, ar, ru, de, ja, pt, hi');
    expect(request).toContain(`up to ${MAX_TRANSLATE_TEXTS} texts (each 1–${MAX_TRANSLATE_CHARS} characters)`);
  });
});
