import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/errors';
import { huggingFaceSentiment, workersAiSentiment } from '../src/tasks/sentiment/providers';
import { sentimentTask } from '../src/tasks/sentiment/task';
import { sentimentResultSchema } from '../src/tasks/sentiment/schema';
import { hfCallRecord, hfOrigin, uniqueText } from './support/api';

const signal = () => AbortSignal.timeout(1_000);

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

// The same contract for every provider that serves the task.
describe.each(sentimentTask.providers.map((provider) => [provider.provider, provider] as const))('sentiment on %s', (_, provider) => {
  it('returns one valid result per input, in input order', async () => {
    const texts = ['I love this, it is great', 'This is terrible, I hate it', 'Wonderful and amazing', 'The worst, awful'];
    const results = await provider.run(env, texts, signal());
    expect(results).toHaveLength(texts.length);
    for (const result of results) expect(sentimentResultSchema.safeParse(result).success).toBe(true);
    expect(results.map((result) => result.label)).toEqual(['positive', 'negative', 'positive', 'negative']);
  });

  it('answers an empty batch with no results', async () => {
    expect(await provider.run(env, [], signal())).toEqual([]);
  });

  it('names a priced model in the catalog', async () => {
    const { CATALOG } = await import('../src/providers/catalog');
    expect(CATALOG[provider.model]).toMatchObject({ task: 'sentiment', provider: provider.provider });
  });
});

describe('Workers AI failures become upstream errors', () => {
  it.each([
    ['3040', 503, 'upstream_overloaded'],
    ['3036', 503, 'upstream_overloaded'],
    ['3007', 504, 'upstream_timeout'],
    ['3042', 502, 'upstream_rejected'],
    ['wrong-shape', 502, 'upstream_bad_response'],
    ['hang', 504, 'upstream_timeout'],
  ])('[[ai:%s]] → %i %s', async (fault, status, code) => {
    const error = await failure(workersAiSentiment.run(env, [`text [[ai:${fault}]]`], signal()));
    expect([error.status, error.code]).toEqual([status, code]);
  });

  it('is not used when disabled', async () => {
    const error = await failure(workersAiSentiment.run({ ...env, WORKERS_AI: 'off' }, ['hi'], signal()));
    expect([error.status, error.code]).toEqual([503, 'provider_not_configured']);
  });
});

describe('Hugging Face failures become upstream errors', () => {
  it('accepts the flat classification shape as well as the nested one', async () => {
    const [flat] = await huggingFaceSentiment.run(env, ['I love it [[hf:flat]]'], signal());
    const [nested] = await huggingFaceSentiment.run(env, ['I love it'], signal());
    expect(flat).toEqual(nested);
  });

  it.each([
    ['503', 503, 'upstream_unavailable'],
    ['429', 503, 'upstream_overloaded'],
    ['500', 502, 'upstream_error'],
    ['401', 502, 'upstream_auth_failed'],
    ['malformed', 502, 'upstream_bad_response'],
    ['wrong-shape', 502, 'upstream_bad_response'],
    ['hang', 504, 'upstream_timeout'],
  ])('[[hf:%s]] → %i %s', async (fault, status, code) => {
    const error = await failure(huggingFaceSentiment.run(env, [`text [[hf:${fault}]]`], signal()));
    expect([error.status, error.code]).toEqual([status, code]);
  });

  it('posts to the serverless model route, or exactly to a dedicated endpoint configured for the task', async () => {
    const serverless = uniqueText();
    await huggingFaceSentiment.run(env, [serverless], signal());
    expect((await hfCallRecord(serverless)).paths).toEqual(['/models/distilbert/distilbert-base-uncased-finetuned-sst-2-english']);
    const dedicated = uniqueText();
    const withEndpoint = { ...env, HF_ENDPOINTS: JSON.stringify({ sentiment: `${hfOrigin()}/endpoints/acme-sentiment` }) };
    await huggingFaceSentiment.run(withEndpoint, [dedicated], signal());
    expect((await hfCallRecord(dedicated)).paths).toEqual(['/endpoints/acme-sentiment']);
  });

  it('passes on the model-loading estimate as Retry-After', async () => {
    const error = await failure(huggingFaceSentiment.run(env, ['text [[hf:503]]'], signal()));
    expect(error.headers['Retry-After']).toBe('3');
  });

  it('never leaks the HF token in an error', async () => {
    const error = await failure(huggingFaceSentiment.run(env, ['text [[hf:401]]'], signal()));
    expect(error.message).not.toContain(env.HF_TOKEN!);
  });

  it('is not used without HF_TOKEN', async () => {
    const error = await failure(huggingFaceSentiment.run({ ...env, HF_TOKEN: undefined }, ['hi'], signal()));
    expect(error.code).toBe('provider_not_configured');
  });
});
