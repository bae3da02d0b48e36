import { DEFAULT_LIMITS } from '../../src/contracts/policy';
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { planProviders } from '../../src/providers/router';
import { fromDetection } from '../../src/tasks/language/detect';
import { languageResultSchema, type LanguageResult } from '../../src/tasks/language/schema';
import { languageTask } from '../../src/tasks/language/task';
import { ADMIN, call, createTenant, json } from '../support/api';
import { callProvider, describeProviderContract } from '../support/provider-contract';

const SAMPLES: [string, string][] = [
  ['Could you tell me when the next train to the airport leaves?', 'en'],
  ['¿Me puedes decir a qué hora sale el próximo tren al aeropuerto?', 'es'],
  ['Kannst du mir sagen, wann der nächste Zug zum Flughafen fährt?', 'de'],
  ['空港行きの次の電車は何時に出発しますか？', 'ja'],
  ['Скажите, пожалуйста, когда отходит следующий поезд в аэропорт?', 'ru'],
];

describeProviderContract(languageTask, {
  items: SAMPLES.map(([text]) => text),
  options: {},
  result: languageResultSchema,
  check: (results) => {
    expect(results.map((result) => result.language)).toEqual(SAMPLES.map(([, language]) => language));
    for (const result of results) {
      expect(result.score).toBeGreaterThan(0.5);
      expect(result.alternatives.length).toBeLessThanOrEqual(3);
      expect(result.alternatives.every((alternative) => alternative.score <= result.score && alternative.language !== result.language)).toBe(true);
    }
  },
});

describe('language on local: edge cases', () => {
  it('answers "und" with score 0 for text with no language, not an error', async () => {
    const results = await callProvider(languageTask, 'local', ['12345 67890', '😀👍🎉', '!!! ??? ...', '———'], {});
    for (const result of results) expect(result).toEqual({ language: 'und', score: 0, alternatives: [] });
  });

  it('detects short texts, with less confidence than long ones', async () => {
    const [short, long] = await callProvider(languageTask, 'local', ['Merci beaucoup', 'Merci beaucoup pour votre aide, la livraison est arrivée ce matin.'], {});
    expect([short!.language, long!.language]).toEqual(['fr', 'fr']);
    expect(short!.score).toBeLessThanOrEqual(long!.score);
  });

  it('maps eld scores: a softmax, halved when unreliable, "und" when empty', () => {
    const confident = fromDetection({ language: 'es', scores: { es: 0.84, pt: 0.7, it: 0.5 }, reliable: true });
    expect(confident.language).toBe('es');
    expect(confident.score + confident.alternatives.reduce((sum, entry) => sum + entry.score, 0)).toBeCloseTo(1, 3);
    expect(confident.alternatives.map((entry) => entry.language)).toEqual(['pt', 'it']);
    const unsure = fromDetection({ language: 'ko', scores: { ko: 0.57 }, reliable: false });
    expect(unsure).toEqual({ language: 'ko', score: 0.5, alternatives: [] });
    expect(fromDetection({ language: '', scores: {}, reliable: false })).toEqual({ language: 'und', score: 0, alternatives: [] });
  });

  it('keeps at most three alternatives', () => {
    const result = fromDetection({ language: 'en', scores: { en: 0.8, nl: 0.61, tl: 0.56, yo: 0.55, de: 0.49 }, reliable: true });
    expect(result.alternatives.map((entry) => entry.language)).toEqual(['nl', 'tl', 'yo']);
  });
});

const detect = (auth: Record<string, string>, body: unknown) => call('/v1/language', { headers: auth, body });

describe('POST /v1/language', () => {
  it('answers from the local tier under the default provider order, with the envelope', async () => {
    const tenant = await createTenant();
    const response = await detect(tenant.auth, { text: ['Bonjour, comment allez-vous ?', '42'] });
    const body = await json(response);
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ task: 'language', provider: 'local', model: 'minnow/eld-xs-60', usage: { items: 2, cost_usd: 0 } });
    expect(body.results.map((result: LanguageResult) => result.language)).toEqual(['fr', 'und']);
    expect(response.headers.get('x-minnow-provider')).toBe('local');
  });

  it('caches per text: a batch with one new text is a partial hit', async () => {
    const tenant = await createTenant();
    const [seen, fresh] = [`Guten Morgen, ${crypto.randomUUID()}`, `Buenos días, ${crypto.randomUUID()}`];
    await detect(tenant.auth, { text: seen });
    const response = await detect(tenant.auth, { text: [seen, fresh] });
    expect(response.headers.get('x-cache')).toBe('PARTIAL');
    expect((await json(response)).usage).toMatchObject({ items: 2, cached_items: 1 });
  });

  it.each([
    ['no text', {}, 'missing_field', 'text'],
    ['an empty text', { text: '' }, 'invalid_field', 'text'],
    ['a text over 20,000 characters', { text: 'a'.repeat(20_001) }, 'invalid_field', 'text'],
    ['101 texts', { text: Array.from({ length: 101 }, () => 'hello') }, 'invalid_field', 'text'],
    ['an unknown field', { text: 'hello', hint: 'en' }, 'unknown_field', 'hint'],
  ])('refuses %s', async (_case, body, code, param) => {
    const tenant = await createTenant();
    const response = await detect(tenant.auth, body);
    const error = (await json(response)).error;
    expect(response.status).toBe(400);
    expect([error.code, error.param]).toEqual([code, param]);
  });
});

describe('language: providers that cannot serve it', () => {
  it('refuses Workers AI and Hugging Face in the admin API, naming the field', async () => {
    const tenant = await createTenant();
    for (const [config, param] of [
      [{ providers: ['workers-ai'] }, 'providers.0'],
      [{ providers: ['local', 'huggingface'] }, 'providers.1'],
      [{ models: { huggingface: 'papluca/xlm-roberta-base-language-detection' } }, 'models.huggingface'],
      [{ huggingface_endpoint: { url: 'https://language.example', token: 'hf_x' } }, 'huggingface_endpoint'],
    ] as const) {
      const response = await call(`/admin/tenants/${tenant.id}/tasks/language`, { method: 'PUT', headers: ADMIN, body: config });
      expect(response.status).toBe(400);
      expect((await json(response)).error.param).toBe(param);
    }
  });

  it('answers 503 no_provider_available when the deployment order leaves out the local tier', () => {
    const policy = { tenantId: 'ten_x', limits: { ...DEFAULT_LIMITS, rpm: 1, burst: 1, daily_budget_usd: 1 }, tasks: {} };
    const error = (() => {
      try {
        planProviders({ ...env, DEFAULT_PROVIDER_ORDER: 'workers-ai,huggingface' }, languageTask, policy);
      } catch (caught) {
        return caught as { status: number; code: string; message: string };
      }
    })();
    expect(error).toMatchObject({ status: 503, code: 'no_provider_available' });
    expect(error!.message).toContain('the task runs on: local');
  });
});
