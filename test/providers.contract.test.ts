import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { sentimentResultSchema } from '../src/tasks/sentiment/schema';
import { sentimentTask } from '../src/tasks/sentiment/task';
import { hfCallRecord, hfOrigin, uniqueText } from './support/api';
import { callProvider, describeProviderContract, describeUpstreamFaults, failureOf } from './support/provider-contract';

describeProviderContract(sentimentTask, {
  items: ['I love this, it is great', 'This is terrible, I hate it', 'Wonderful and amazing', 'The worst, awful'],
  options: {},
  result: sentimentResultSchema,
  check: (results) => expect(results.map((result) => result.label)).toEqual(['positive', 'negative', 'positive', 'negative']),
});

describeUpstreamFaults(sentimentTask, (directive) => `some text ${directive}`, {});

describe('sentiment on huggingface: wire details', () => {
  it('accepts the flat classification shape as well as the nested one', async () => {
    const [flat] = await callProvider(sentimentTask, 'huggingface', ['I love it [[hf:flat]]'], {});
    const [nested] = await callProvider(sentimentTask, 'huggingface', ['I love it'], {});
    expect(flat).toEqual(nested);
  });

  it('posts to the serverless model route, a deployment endpoint for the task, or the tenant endpoint', async () => {
    const serverless = uniqueText();
    await callProvider(sentimentTask, 'huggingface', [serverless], {});
    expect((await hfCallRecord(serverless)).paths).toEqual(['/models/distilbert/distilbert-base-uncased-finetuned-sst-2-english']);

    const deployment = uniqueText();
    await callProvider(sentimentTask, 'huggingface', [deployment], {}, { env: { HF_ENDPOINTS: JSON.stringify({ sentiment: `${hfOrigin()}/endpoints/sentiment/deployment` }) } });
    expect((await hfCallRecord(deployment)).paths).toEqual(['/endpoints/sentiment/deployment']);

    const tenant = uniqueText();
    await callProvider(sentimentTask, 'huggingface', [tenant], {}, { env: { HF_TOKEN: undefined }, endpoint: { url: `${hfOrigin()}/endpoints/sentiment/tenant`, token: 'hf_tenant' } });
    expect((await hfCallRecord(tenant)).paths).toEqual(['/endpoints/sentiment/tenant']);
  });

  it('passes on the model-loading estimate as Retry-After', async () => {
    const error = await failureOf(callProvider(sentimentTask, 'huggingface', ['text [[hf:503]]'], {}));
    expect(error.headers['Retry-After']).toBe('3');
  });

  it('is not used without HF_TOKEN or a tenant endpoint', async () => {
    const error = await failureOf(callProvider(sentimentTask, 'huggingface', ['hi'], {}, { env: { HF_TOKEN: undefined } }));
    expect(error.code).toBe('provider_not_configured');
  });
});

describe('sentiment on workers-ai: configuration', () => {
  it('is not used when disabled', async () => {
    const error = await failureOf(callProvider(sentimentTask, 'workers-ai', ['hi'], {}, { env: { WORKERS_AI: 'off' } }));
    expect([error.status, error.code]).toEqual([503, 'provider_not_configured']);
  });

  it('reads the binding from env', () => {
    expect(env.AI).toBeDefined();
  });
});
