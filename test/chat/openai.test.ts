import { SELF } from 'cloudflare:test';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { tenantWithBot } from './support';

const client = (key: string) =>
  new OpenAI({ apiKey: key, baseURL: 'https://minnow.test/v1', maxRetries: 0, fetch: (url, init) => SELF.fetch(url as string, init as RequestInit) });

const ANSWER = 'Refunds are paid back to the original card within 5 business days. [1]';

describe('POST /v1/chat/completions (OpenAI-compatible)', () => {
  it('a bot answers through the official openai client, grounded and cited', async () => {
    const { tenant, bot, kb } = await tenantWithBot();
    const completion = await client(tenant.key).chat.completions.create({ model: bot.id, messages: [{ role: 'user', content: 'How long do refunds take?' }] });
    expect(completion).toMatchObject({ object: 'chat.completion', model: bot.id, choices: [{ index: 0, message: { role: 'assistant', content: ANSWER }, finish_reason: 'stop' }] });
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);
    const minnow = (completion as unknown as { minnow: { conversation_id: string; citations: { document_id: string }[] } }).minnow;
    expect(minnow.conversation_id).toMatch(/^conv_/);
    expect(minnow.citations[0]!.document_id).toBe(kb.documents[0]);
  });

  it('streams OpenAI chunks the client assembles, with usage when asked', async () => {
    const { tenant, bot } = await tenantWithBot({ instructions: 'Be brief. [[ai:stream-break]]' });
    const stream = await client(tenant.key).chat.completions.create({
      model: bot.id,
      messages: [{ role: 'user', content: 'How long do refunds take?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const finishes: (string | null)[] = [];
    let usage;
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.choices[0]) finishes.push(chunk.choices[0].finish_reason);
      if (chunk.usage) usage = chunk.usage;
    }
    // Mid-stream fallback is invisible to the client: one whole answer.
    expect(text).toBe(ANSWER);
    expect(finishes.at(-1)).toBe('stop');
    expect(usage!.completion_tokens).toBeGreaterThan(0);
  });

  it('plain chat with a catalog chat model, streamed and not', async () => {
    const { tenant } = await tenantWithBot();
    const openai = client(tenant.key);
    const plain = await openai.chat.completions.create({
      model: '@cf/meta/llama-3.2-1b-instruct',
      messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Hello there. How are you?' }],
    });
    expect(plain.choices[0]!.message.content).toBe('You said: Hello there.');
    const stream = await openai.chat.completions.create({ model: 'meta-llama/Llama-3.2-1B-Instruct', messages: [{ role: 'user', content: 'Ping. Pong.' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('You said: Ping.');
  });

  it("accepts OpenAI's sampling parameters, checks them as OpenAI does, and refuses what it cannot honour or does not know", async () => {
    const { tenant } = await tenantWithBot();
    const openai = client(tenant.key);
    const model = '@cf/meta/llama-3.2-1b-instruct';
    const messages = [{ role: 'user' as const, content: 'Hello there. How are you?' }];
    const sampled = await openai.chat.completions.create({ model, messages, temperature: 0.2, top_p: 0.9, seed: 7, stop: ['\n\n'], user: 'u-1', presence_penalty: 0, logprobs: false, metadata: { team: 'web' } });
    expect(sampled.choices[0]!.message.content).toBe('You said: Hello there.');
    const refused = async (extra: Record<string, unknown>) => {
      const error = await openai.chat.completions.create({ model, messages, ...extra } as never).catch((caught: unknown) => caught);
      expect(error, JSON.stringify(extra)).toBeInstanceOf(OpenAI.APIError);
      return error as InstanceType<typeof OpenAI.APIError>;
    };
    expect(await refused({ frobnicate: true })).toMatchObject({ status: 400, code: 'unknown_field', param: 'frobnicate' });
    expect(await refused({ temperature: 'hot' })).toMatchObject({ status: 400, param: 'temperature' });
    expect(await refused({ temperature: 3 })).toMatchObject({ status: 400, param: 'temperature' });
    const logprobs = await refused({ logprobs: true });
    expect(logprobs).toMatchObject({ status: 400, param: 'logprobs' });
    expect(logprobs.message).toContain('log probabilities');
    expect(await refused({ audio: { voice: 'alloy', format: 'mp3' }, modalities: ['text', 'audio'] })).toMatchObject({ status: 400 });
    expect(await refused({ functions: [{ name: 'f', parameters: {} }] })).toMatchObject({ status: 400, param: 'functions' });
  });

  it('errors reach the client as API errors, before and during a stream', async () => {
    const { tenant, bot } = await tenantWithBot({ instructions: '[[ai:3040]] [[hf:503]]', providers: ['workers-ai', 'huggingface'] });
    const openai = client(tenant.key);
    const unknown = await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(OpenAI.APIError);
    expect((unknown as InstanceType<typeof OpenAI.APIError>).status).toBe(404);

    // Several choices are refused, not answered with one.
    const several = await openai.chat.completions.create({ model: bot.id, messages: [{ role: 'user', content: 'Hi' }], n: 2 }).catch((error: unknown) => error);
    expect((several as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((several as InstanceType<typeof OpenAI.APIError>).param).toBe('n');

    const failing = await openai.chat.completions.create({ model: bot.id, messages: [{ role: 'user', content: 'How long do refunds take?' }] }).catch((error: unknown) => error);
    expect((failing as InstanceType<typeof OpenAI.APIError>).status).toBe(503);

    const stream = await openai.chat.completions.create({ model: bot.id, messages: [{ role: 'user', content: 'How long do refunds take?' }], stream: true });
    const midStream = await (async () => {
      for await (const _chunk of stream) {
        // drain
      }
    })().catch((error: unknown) => error);
    expect(midStream).toBeInstanceOf(OpenAI.APIError);
    expect(String((midStream as Error).message)).toMatch(/All providers failed/);
  });
});

describe('GET /v1/models lists the chat models', () => {
  it('with their task, provider and price', async () => {
    const { tenant } = await tenantWithBot();
    const models = await client(tenant.key).models.list();
    const byId = new Map(models.data.map((model) => [model.id, model as unknown as { tasks: string[]; provider: string; price: { source: string } }]));
    expect(byId.get('@cf/meta/llama-3.2-1b-instruct')!.tasks).toEqual(expect.arrayContaining(['summarize', 'chat']));
    expect(byId.get('meta-llama/Llama-3.2-1B-Instruct')).toMatchObject({ tasks: ['chat'], provider: 'huggingface' });
    expect(byId.get('minnow/quote-passages')).toMatchObject({ tasks: ['chat'], provider: 'local', price: { source: 'free' } });
  });
});
