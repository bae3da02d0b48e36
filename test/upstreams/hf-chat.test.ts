// Hugging Face chat on the wire (issue 18, items 2 and 7): the router's OpenAI-compatible route
// with the model in the body, a tenant endpoint with no model named sends none (vLLM 404s a name
// it does not serve), and a stream that ends without [DONE] is a failure.
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { GenerationRequest } from '../../src/providers/chat-types';
import { routerChatUrl } from '../../src/providers/huggingface/transport';
import { planProviders } from '../../src/providers/router';
import { chatGenerationTask } from '../../src/tasks/chat/task';
import { hfCallRecord, hfOrigin, uniqueText } from '../support/api';
import { callProvider, failureOf } from '../support/provider-contract';

const request = (question: string): GenerationRequest => ({ messages: [{ role: 'user', content: question }], max_tokens: 64, question, sources: [] });
const hf = chatGenerationTask.providers.find((candidate) => candidate.provider === 'huggingface')!;

async function streamed(item: GenerationRequest, overrides: { model?: string; endpoint?: { url: string; token: string } } = {}): Promise<string> {
  let text = '';
  for await (const delta of hf.stream!({ env, task: 'chat', items: [item], options: {}, signal: AbortSignal.timeout(2_000), model: overrides.model ?? hf.model, ...(overrides.endpoint ? { endpoint: overrides.endpoint } : {}) })) text += delta;
  return text;
}

/** The model a tenant endpoint with no model named is planned with: the router's `hf-endpoint:` label. */
function unnamedEndpointModel(url: string): string {
  const plan = planProviders(env, chatGenerationTask, { tasks: { chat: { providers: ['huggingface'], huggingface_endpoint: { url, token_encrypted: 'x' } } } } as never);
  return plan[0]!.model;
}

describe('HF chat route', () => {
  it('derives the router chat route from HF_BASE_URL', () => {
    expect(routerChatUrl({} as never)).toBe('https://router.huggingface.co/v1/chat/completions');
    expect(routerChatUrl({ HF_BASE_URL: 'https://router.huggingface.co/hf-inference/models/' } as never)).toBe('https://router.huggingface.co/v1/chat/completions');
    expect(routerChatUrl(env)).toBe(`${hfOrigin()}/v1/chat/completions`);
  });

  it('serverless chat posts to the router /v1/chat/completions with the model in the body, whole and streamed', async () => {
    const question = uniqueText('Hello there');
    const [whole] = await callProvider(chatGenerationTask, 'huggingface', [request(question)], {});
    expect(whole!.text).toContain('You said: Hello there');
    expect(await streamed(request(`${question} again`))).toContain('You said: Hello there');
    const record = await hfCallRecord(question);
    expect(record.paths).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
  });

  it('the stand-in answers no chat at hf-inference model routes (as hf-inference lists no chat models)', async () => {
    const response = await fetch(`${hfOrigin()}/models/${hf.model}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
      body: JSON.stringify({ model: hf.model, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(404);
  });

  it('a tenant vLLM endpoint with no model named gets no `model` (vLLM serves its own), whole and streamed', async () => {
    const endpoint = { url: `${hfOrigin()}/endpoints/chat/vllm-acme`, token: 'hf_tenant_chat' };
    const model = unnamedEndpointModel(endpoint.url);
    expect(model).toMatch(/^hf-endpoint:/);
    const question = uniqueText('Where is my parcel');
    const [whole] = await callProvider(chatGenerationTask, 'huggingface', [request(question)], {}, { endpoint, model });
    expect(whole!.text).toContain('You said: Where is my parcel');
    expect(await streamed(request(`${question} now`), { endpoint, model })).toContain('You said: Where is my parcel');
    expect(await hfCallRecord(question)).toMatchObject({ calls: 2, paths: ['/endpoints/chat/vllm-acme/v1/chat/completions', '/endpoints/chat/vllm-acme/v1/chat/completions'], tokens: ['hf_tenant_chat', 'hf_tenant_chat'] });
  });

  it('a model the tenant named is sent; a vLLM 404 reads as its message, not [object Object]', async () => {
    const endpoint = { url: `${hfOrigin()}/endpoints/chat/vllm-acme`, token: 'hf_tenant_chat' };
    const error = await failureOf(callProvider(chatGenerationTask, 'huggingface', [request('hi')], {}, { endpoint, model: 'acme/other-model' }));
    expect(error.code).toBe('upstream_rejected');
    expect(error.message).toContain('The model `acme/other-model` does not exist.');
    expect(error.message).not.toContain('[object Object]');
  });
});

describe('HF chat stream without [DONE]', () => {
  it('is an upstream failure after the first deltas, like Workers AI', async () => {
    const deltas: string[] = [];
    const error = await failureOf(
      (async () => {
        for await (const delta of hf.stream!({ env, task: 'chat', items: [request('Tell me more [[hf:stream-cut]]')], options: {}, signal: AbortSignal.timeout(2_000), model: hf.model })) if (typeof delta === 'string') deltas.push(delta);
      })(),
    );
    expect(deltas.length).toBeGreaterThan(0);
    expect([error.status, error.code]).toEqual([502, 'upstream_error']);
    expect(error.message).toContain('[DONE]');
  });
});
