import { env, SELF } from 'cloudflare:test';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { sseData } from '../../src/providers/chat-sse';
import { chatEstimate } from '../../src/chat/start-turn';
import { estimateTokens } from '../../src/providers/pricing';
import { usageForTenant } from '../../src/storage/usage';
import { createTenant, eventually, hfCallsFor, uniqueText } from '../support/api';
import { tenantWithBot } from './support';

const client = (key: string) =>
  new OpenAI({ apiKey: key, baseURL: 'https://minnow.test/v1', maxRetries: 0, fetch: (url, init) => SELF.fetch(url as string, init as RequestInit) });

const WAI = '@cf/meta/llama-4-scout-17b-16e-instruct';
const HF = 'meta-llama/Llama-3.2-1B-Instruct';
const PROVIDERS = [
  { name: 'Workers AI', model: WAI },
  { name: 'Hugging Face', model: HF },
];

const weather: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The current weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string', description: 'City name' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } }, required: ['city', 'unit'] },
  },
};
const lookup: ChatCompletionTool = {
  type: 'function',
  function: { name: 'lookup_order', description: 'Finds an order by its number', parameters: { type: 'object', properties: { order: { type: 'integer' } }, required: ['order'] } },
};

type ApiError = InstanceType<typeof OpenAI.APIError>;
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as ApiError);

describe('POST /v1/chat/completions with tools', () => {
  for (const { name, model } of PROVIDERS) {
    it(`${name}: a tool call in OpenAI's shape, not streamed`, async () => {
      const { tenant } = await tenantWithBot();
      const completion = await client(tenant.key).chat.completions.create({
        model,
        messages: [{ role: 'user', content: `What is the weather? Please use get_weather with city=Paris (${uniqueText('q')})` }],
        tools: [weather, lookup],
      });
      const choice = completion.choices[0]!;
      expect(choice.finish_reason).toBe('tool_calls');
      expect(choice.message.content).toBeNull();
      expect(choice.message.tool_calls).toHaveLength(1);
      const call = choice.message.tool_calls![0]!;
      expect(call).toMatchObject({ type: 'function', function: { name: 'get_weather' } });
      expect(call.id).toMatch(/^(call_|chatcmpl-tool-)\w+/);
      // Arguments are a JSON text, as OpenAI sends them (Workers AI answers an object; minnow serialises it).
      expect(JSON.parse((call as { function: { arguments: string } }).function.arguments)).toEqual({ city: 'Paris', unit: 'celsius' });
    });

    it(`${name}: streamed as OpenAI deltas — id, type and name first, then argument fragments`, async () => {
      const { tenant } = await tenantWithBot();
      const stream = await client(tenant.key).chat.completions.create({
        model,
        messages: [{ role: 'user', content: `Find order 4521 with lookup_order (${uniqueText('s')})` }],
        tools: [weather, lookup],
        stream: true,
        stream_options: { include_usage: true },
      });
      const deltas: NonNullable<OpenAI.Chat.Completions.ChatCompletionChunk['choices'][number]['delta']['tool_calls']>[number][] = [];
      const finishes: (string | null)[] = [];
      let usage;
      for await (const chunk of stream) {
        deltas.push(...(chunk.choices[0]?.delta.tool_calls ?? []));
        if (chunk.choices[0]) finishes.push(chunk.choices[0].finish_reason);
        if (chunk.usage) usage = chunk.usage;
      }
      expect(deltas[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'lookup_order', arguments: '' } });
      expect(deltas[0]!.id).toBeTruthy();
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.slice(1).every((delta) => delta.index === 0 && delta.id === undefined && typeof delta.function?.arguments === 'string')).toBe(true);
      expect(JSON.parse(deltas.map((delta) => delta.function?.arguments ?? '').join(''))).toEqual({ order: 4521 });
      expect(finishes.at(-1)).toBe('tool_calls');
      expect(usage!.prompt_tokens).toBeGreaterThan(0);
      // The calls are what the model wrote: they count as completion tokens.
      expect(usage!.completion_tokens).toBeGreaterThan(0);
    });

    it(`${name}: a tool result round trip — the model answers from the result`, async () => {
      const { tenant } = await tenantWithBot();
      const openai = client(tenant.key);
      const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: `Use get_weather for city=Oslo please (${uniqueText('r')})` }];
      const first = await openai.chat.completions.create({ model, messages, tools: [weather] });
      const assistant = first.choices[0]!.message;
      const call = assistant.tool_calls![0]!;
      messages.push(assistant, { role: 'tool', tool_call_id: call.id, content: '{"temperature": 4, "sky": "snow"}' });
      const second = await openai.chat.completions.create({ model, messages, tools: [weather] });
      expect(second.choices[0]).toMatchObject({ finish_reason: 'stop', message: { role: 'assistant', content: 'Tool get_weather said: {"temperature": 4, "sky": "snow"}' } });
      expect(second.choices[0]!.message.tool_calls).toBeUndefined();
    });
  }

  it('the cache keeps agent answers apart from plain ones, and answers a repeated agent request', async () => {
    const { tenant } = await tenantWithBot();
    const openai = client(tenant.key);
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: `Use get_weather for city=Lima. (${uniqueText('c')})` }];
    const plain = await openai.chat.completions.create({ model: HF, messages });
    expect(plain.choices[0]!.message.content).toBe('You said: Use get_weather for city=Lima.');
    const withTools = await openai.chat.completions.create({ model: HF, messages, tools: [weather] });
    expect(withTools.choices[0]!.finish_reason).toBe('tool_calls');
    const again = await openai.chat.completions.create({ model: HF, messages, tools: [weather] });
    expect(again.choices[0]!.message.tool_calls).toEqual(withTools.choices[0]!.message.tool_calls);
    expect(await hfCallsFor(String(messages[0]!.content))).toBe(2);
  });

  it('the ChatCompletionStream helper assembles a streamed call (Hugging Face)', async () => {
    const { tenant } = await tenantWithBot();
    const runner = client(tenant.key).chat.completions.stream({ model: HF, messages: [{ role: 'user', content: `get_weather city=Rome (${uniqueText('h')})` }], tools: [weather] });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    const call = final.choices[0]!.message.tool_calls![0] as { function: { name: string; arguments: string } };
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Rome', unit: 'celsius' });
  });

  it('tool_choice: none answers in text, required and a named function force a call', async () => {
    const { tenant } = await tenantWithBot();
    const openai = client(tenant.key);
    const text = uniqueText('Tell me about get_weather.');
    const none = await openai.chat.completions.create({ model: WAI, messages: [{ role: 'user', content: text }], tools: [weather], tool_choice: 'none' });
    expect(none.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: 'You said: Tell me about get_weather.' } });

    const plain = uniqueText('Hello there.');
    const required = await openai.chat.completions.create({ model: HF, messages: [{ role: 'user', content: plain }], tools: [lookup, weather], tool_choice: 'required' });
    expect(required.choices[0]!.message.tool_calls![0]).toMatchObject({ function: { name: 'lookup_order' } });

    for (const model of [WAI, HF]) {
      const named = await openai.chat.completions.create({ model, messages: [{ role: 'user', content: `${plain} ${model}` }], tools: [lookup, weather], tool_choice: { type: 'function', function: { name: 'get_weather' } } });
      expect(named.choices[0]!.finish_reason).toBe('tool_calls');
      expect(named.choices[0]!.message.tool_calls!.map((call) => (call as { function: { name: string } }).function.name)).toEqual(['get_weather']);
    }
  });

  it('parallel_tool_calls: false keeps one call of several', async () => {
    const { tenant } = await tenantWithBot();
    const openai = client(tenant.key);
    const content = `${uniqueText('get_weather and lookup_order')} [[fake:tool-two]]`;
    const both = await openai.chat.completions.create({ model: HF, messages: [{ role: 'user', content }], tools: [weather, lookup] });
    expect(both.choices[0]!.message.tool_calls).toHaveLength(2);
    const one = await openai.chat.completions.create({ model: HF, messages: [{ role: 'user', content }], tools: [weather, lookup], parallel_tool_calls: false });
    expect(one.choices[0]!.message.tool_calls).toHaveLength(1);
  });

  it('arguments an older TGI answers as an object still reach the client as JSON text', async () => {
    const { tenant } = await tenantWithBot();
    const completion = await client(tenant.key).chat.completions.create({ model: HF, messages: [{ role: 'user', content: `lookup_order 31 ${uniqueText('t')} [[hf:tool-args-object]]` }], tools: [lookup] });
    const call = completion.choices[0]!.message.tool_calls![0] as { function: { arguments: string } };
    expect(typeof call.function.arguments).toBe('string');
    expect(JSON.parse(call.function.arguments)).toEqual({ order: 31 });
  });

  it("Workers AI's own \"JSON Mode couldn't be met\" is the same 502 invalid_model_output", async () => {
    const { tenant } = await tenantWithBot();
    const error = await failure(client(tenant.key).chat.completions.create({ model: WAI, messages: [{ role: 'user', content: `${uniqueText('JSON')} [[ai:json-unmet]]` }], response_format: { type: 'json_object' } }));
    expect(error).toMatchObject({ status: 502, code: 'invalid_model_output' });
    expect(error!.message).toMatch(/could not meet the schema/);
  });

  it('a call the request did not allow is a 502, not passed on', async () => {
    const { tenant } = await tenantWithBot();
    const openai = client(tenant.key);
    const unknown = await failure(openai.chat.completions.create({ model: WAI, messages: [{ role: 'user', content: `${uniqueText('get_weather')} [[fake:tool-unknown]]` }], tools: [weather] }));
    expect(unknown).toMatchObject({ status: 502, code: 'invalid_model_output' });
    expect(unknown!.message).toMatch(/not_offered.*not one of the tools/);

    const strict = { ...weather, function: { ...weather.function, strict: true } };
    const badArgs = await failure(openai.chat.completions.create({ model: HF, messages: [{ role: 'user', content: `${uniqueText('get_weather')} [[fake:tool-bad-args]]` }], tools: [strict] }));
    expect(badArgs).toMatchObject({ status: 502, code: 'invalid_model_output' });
    expect(badArgs!.message).toMatch(/city/);
  });

  it('metering still records the generation, with its tokens and cost', async () => {
    const { tenant } = await tenantWithBot();
    const response = await SELF.fetch('https://minnow.test/v1/chat/completions', {
      method: 'POST',
      headers: { ...tenant.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ model: WAI, messages: [{ role: 'user', content: `lookup_order 77 (${uniqueText('m')})` }], tools: [lookup] }),
    });
    const body = (await response.json()) as { usage: { prompt_tokens: number; completion_tokens: number }; minnow: { cost_usd: number; model: string; provider: string } };
    expect(body.minnow).toMatchObject({ provider: 'workers-ai', model: WAI });
    expect(body.minnow.cost_usd).toBeGreaterThan(0);
    expect(body.usage.prompt_tokens).toBeGreaterThan(0);
    const requestId = response.headers.get('x-request-id')!;
    const events = await eventually(() => usageForTenant(env.DB, tenant.id), (rows) => rows.some((row) => row.request_id === `${requestId}:generate`));
    const generation = events.find((row) => row.request_id === `${requestId}:generate`)!;
    expect(generation).toMatchObject({ task: 'chat', provider: 'workers-ai', model: WAI });
    expect(generation.cost_usd).toBeGreaterThan(0);
  });
});

describe('admission of agent requests', () => {
  it('reserves for the function definitions too, which the prompt budget does not trim', async () => {
    const question = uniqueText('Which order?');
    const tools: ChatCompletionTool[] = Array.from({ length: 35 }, (_, index) => ({
      type: 'function',
      function: { name: `tool_${index}`, description: 'd'.repeat(1_700), parameters: { type: 'object', properties: {} } },
    }));
    const small = chatEstimate(env, question).usd;
    const large = chatEstimate(env, question, estimateTokens(JSON.stringify(tools))).usd;
    expect(large).toBeGreaterThan(small * 1.5);
    const tenant = await createTenant({ limits: { daily_budget_usd: (small + large) / 2, exact_admission: true } });
    const openai = client(tenant.key);
    const refused = await failure(openai.chat.completions.create({ model: HF, messages: [{ role: 'user', content: question }], tools }));
    expect(refused).toMatchObject({ status: 402, code: 'budget_exhausted' });
    const answered = await openai.chat.completions.create({ model: HF, messages: [{ role: 'user', content: question }], tools: [lookup] });
    expect(answered.choices[0]!.finish_reason).toBe('stop');
  });
});

describe('POST /v1/chat/completions with response_format', () => {
  for (const { name, model } of PROVIDERS) {
    it(`${name}: json_object answers a JSON object; json_schema (strict) one that matches`, async () => {
      const { tenant } = await tenantWithBot();
      const openai = client(tenant.key);
      const object = await openai.chat.completions.create({ model, messages: [{ role: 'user', content: uniqueText('Say hello. In JSON.') }], response_format: { type: 'json_object' } });
      expect(JSON.parse(object.choices[0]!.message.content!)).toEqual({ answer: 'You said: Say hello.' });

      const schema = { type: 'object', properties: { name: { type: 'string' }, population: { type: 'integer' } }, required: ['name', 'population'], additionalProperties: false };
      const shaped = await openai.chat.completions.create({
        model,
        messages: [{ role: 'user', content: `Describe name=Lisbon, population 545000 (${uniqueText('j')})` }],
        response_format: { type: 'json_schema', json_schema: { name: 'city', schema, strict: true } },
      });
      expect(shaped.choices[0]!.finish_reason).toBe('stop');
      expect(JSON.parse(shaped.choices[0]!.message.content!)).toEqual({ name: 'Lisbon', population: 545000 });
    });
  }

  it('streamed JSON arrives whole, checked, in one content delta', async () => {
    const { tenant } = await tenantWithBot();
    const stream = await client(tenant.key).chat.completions.create({ model: WAI, messages: [{ role: 'user', content: uniqueText('Stream me JSON.') }], response_format: { type: 'json_object' }, stream: true });
    const contents: string[] = [];
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content) contents.push(chunk.choices[0].delta.content);
    expect(contents).toHaveLength(1);
    expect(JSON.parse(contents[0]!)).toEqual({ answer: 'You said: Stream me JSON.' });
  });

  it('output that is not JSON is a 502 invalid_model_output, and is not cached', async () => {
    const { tenant } = await tenantWithBot();
    const openai = client(tenant.key);
    const request = { model: HF, messages: [{ role: 'user' as const, content: `${uniqueText('JSON please')} [[fake:bad-json]]` }], response_format: { type: 'json_object' as const } };
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await failure(openai.chat.completions.create(request));
      expect(error).toMatchObject({ status: 502, code: 'invalid_model_output' });
      expect(error!.message).toMatch(/not valid JSON/);
    }
  });
});

describe('agent requests the chosen model cannot serve: 400 naming the models that can', () => {
  it('a chat model without function calling or JSON mode', async () => {
    const { tenant } = await tenantWithBot();
    const openai = client(tenant.key);
    const tools = await failure(openai.chat.completions.create({ model: '@cf/meta/llama-3.2-1b-instruct', messages: [{ role: 'user', content: 'Hi' }], tools: [weather] }));
    expect(tools).toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'tools' });
    expect(tools!.message).toContain(WAI);
    expect(tools!.message).toContain(HF);
    const json = await failure(openai.chat.completions.create({ model: '@cf/meta/llama-3.2-3b-instruct', messages: [{ role: 'user', content: 'Hi' }], response_format: { type: 'json_object' } }));
    expect(json).toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'response_format' });
    expect(json!.message).toContain(WAI);
  });

  it('the local tier (offline quoting) cannot call tools', async () => {
    const { tenant } = await tenantWithBot();
    const error = await failure(client(tenant.key).chat.completions.create({ model: 'minnow/quote-passages', messages: [{ role: 'user', content: 'Hi' }], tools: [weather] }));
    expect(error).toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'tools' });
    expect(error!.message).toMatch(/local tier/);
  });

  it('a bot stays grounded: tools, tool turns and JSON output are refused unless it enables them', async () => {
    const { tenant, bot } = await tenantWithBot();
    const openai = client(tenant.key);
    const tools = await failure(openai.chat.completions.create({ model: bot.id, messages: [{ role: 'user', content: 'How long do refunds take?' }], tools: [weather] }));
    expect(tools).toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'tools' });
    expect(tools!.message).toMatch(/grounded in its knowledge bases/);
    expect(tools!.message).toContain(`PATCH /v1/bots/${bot.id} {"agent": {"tools": true}}`);
    const json = await failure(openai.chat.completions.create({ model: bot.id, messages: [{ role: 'user', content: 'How long do refunds take?' }], response_format: { type: 'json_object' } }));
    expect(json).toMatchObject({ status: 400, param: 'response_format' });
    const history = await failure(
      openai.chat.completions.create({
        model: bot.id,
        messages: [
          { role: 'user', content: 'Weather?' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
        ],
      }),
    );
    expect(history).toMatchObject({ status: 400, param: 'messages.1' });
    // Plain text format is no agent feature: the bot answers.
    const text = await openai.chat.completions.create({ model: bot.id, messages: [{ role: 'user', content: 'How long do refunds take?' }], response_format: { type: 'text' } });
    expect(text.choices[0]!.message.content).toMatch(/\[1\]$/);
  });

  it('malformed agent requests name the field', async () => {
    const tenant = await createTenant();
    const openai = client(tenant.key);
    const unknownChoice = await failure(openai.chat.completions.create({ model: WAI, messages: [{ role: 'user', content: 'Hi' }], tools: [weather], tool_choice: { type: 'function', function: { name: 'lookup_order' } } }));
    expect(unknownChoice).toMatchObject({ status: 400, param: 'tool_choice.function.name' });
    const noTools = await failure(openai.chat.completions.create({ model: WAI, messages: [{ role: 'user', content: 'Hi' }], tool_choice: 'required' }));
    expect(noTools).toMatchObject({ status: 400, param: 'tool_choice' });
    const orphan = await failure(openai.chat.completions.create({ model: HF, messages: [{ role: 'user', content: 'Hi' }, { role: 'tool', tool_call_id: 'call_nowhere', content: 'sunny' }], tools: [weather] }));
    expect(orphan).toMatchObject({ status: 400, param: 'messages.1.tool_call_id' });
    const twice = await failure(openai.chat.completions.create({ model: HF, messages: [{ role: 'user', content: 'Hi' }], tools: [weather, weather] }));
    expect(twice).toMatchObject({ status: 400, param: 'tools' });
  });
});

type ToolDelta = NonNullable<OpenAI.Chat.Completions.ChatCompletionChunk['choices'][number]['delta']['tool_calls']>[number];

/** Every chunk of a streamed completion, in order: content deltas and tool-call deltas, with their position. */
async function readStream(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
  const order: ('content' | 'call')[] = [];
  const content: string[] = [];
  const calls: ToolDelta[] = [];
  let finish: string | null = null;
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    if (choice?.delta.content) {
      content.push(choice.delta.content);
      order.push('content');
    }
    if (choice?.delta.tool_calls) {
      calls.push(...choice.delta.tool_calls);
      order.push('call');
    }
    if (choice?.finish_reason) finish = choice.finish_reason;
  }
  return { order, content, calls, finish };
}

const argumentsOf = (calls: ToolDelta[], index: number) => JSON.parse(calls.filter((delta) => delta.index === index).map((delta) => delta.function?.arguments ?? '').join(''));

describe('tool calls streamed from upstream', () => {
  it('the Workers AI stand-in streams a call in fragments per index, then the null finalization, finish_reason and [DONE]', async () => {
    const ai = env.AI as unknown as { run(model: string, inputs: unknown): Promise<ReadableStream<Uint8Array>> };
    const stream = await ai.run(WAI, { messages: [{ role: 'user', content: 'lookup_order 12' }], tools: [lookup.function], stream: true });
    const events: string[] = [];
    for await (const data of sseData(stream)) events.push(data);
    const parsed = events.slice(0, -1).map((event) => JSON.parse(event));
    expect(parsed[0].tool_calls[0]).toMatchObject({ type: 'function', index: 0, function: { name: 'lookup_order' } });
    expect(parsed[0].tool_calls[0].id).toBeTruthy();
    const fragments = parsed.filter((event) => event.tool_calls?.[0]?.index === 0);
    expect(fragments.length).toBeGreaterThan(1);
    expect(JSON.parse(fragments.map((event) => event.tool_calls[0].function.arguments).join(''))).toEqual({ order: 12 });
    expect(parsed.at(-2).tool_calls[0]).toEqual({ id: null, type: null, function: { name: null, arguments: '' } });
    expect(parsed.at(-1)).toMatchObject({ finish_reason: 'tool_calls' });
    expect(events.at(-1)).toBe('[DONE]');
  });

  const variants = [
    { name: 'Workers AI, native fragments', model: WAI, directive: '' },
    { name: 'Workers AI, OpenAI chunks', model: WAI, directive: '[[ai:stream-openai]]' },
    { name: 'Workers AI, whole flat calls (older models)', model: WAI, directive: '[[ai:tool-stream-whole]]' },
    { name: 'Hugging Face, OpenAI deltas', model: HF, directive: '' },
    { name: 'Hugging Face, deltas repeating id and type', model: HF, directive: '[[hf:tool-stream-spec]]' },
  ];
  for (const { name, model, directive } of variants) {
    it(`${name}: the text before a call streams live, then each call, assembled from the upstream's fragments`, async () => {
      const { tenant } = await tenantWithBot();
      const stream = await client(tenant.key).chat.completions.create({
        model,
        messages: [{ role: 'user', content: `get_weather city=Oslo and lookup_order 7 ${uniqueText('p')} [[fake:tool-preamble]] [[fake:tool-two]] ${directive}` }],
        tools: [weather, lookup],
        stream: true,
      });
      const { order, content, calls, finish } = await readStream(stream);
      expect(content.join('')).toBe('Let me look that up.');
      // The text arrived as the model wrote it, in pieces, before any call.
      expect(content.length).toBeGreaterThan(1);
      expect(order.indexOf('call')).toBeGreaterThan(order.lastIndexOf('content'));
      expect(calls.filter((delta) => delta.id).map((delta) => [delta.index, delta.function?.name])).toEqual([
        [0, 'get_weather'],
        [1, 'lookup_order'],
      ]);
      expect(argumentsOf(calls, 0)).toEqual({ city: 'Oslo', unit: 'celsius' });
      expect(argumentsOf(calls, 1)).toEqual({ order: 7 });
      expect(finish).toBe('tool_calls');
    });
  }

  it('an invalid call after streamed text ends the stream with an error event in OpenAI\'s shape, and the generation is not billed', async () => {
    const { tenant } = await tenantWithBot();
    const response = await SELF.fetch('https://minnow.test/v1/chat/completions', {
      method: 'POST',
      headers: { ...tenant.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ model: HF, stream: true, tools: [weather], messages: [{ role: 'user', content: `get_weather ${uniqueText('x')} [[fake:tool-preamble]] [[fake:tool-unknown]]` }] }),
    });
    const requestId = response.headers.get('x-request-id')!;
    const events: string[] = [];
    for await (const data of sseData(response.body!)) events.push(data);
    const chunks = events.map((event) => JSON.parse(event) as { choices?: { delta: { content?: string; tool_calls?: unknown } }[]; error?: { code: string; message: string } });
    expect(chunks.flatMap((chunk) => chunk.choices ?? []).map((choice) => choice.delta.content ?? '').join('')).toBe('Let me look that up.');
    expect(chunks.some((chunk) => chunk.choices?.[0]?.delta.tool_calls)).toBe(false);
    expect(chunks.at(-1)!.error).toMatchObject({ code: 'invalid_model_output' });
    expect(chunks.at(-1)!.error!.message).toMatch(/not_offered.*not one of the tools/);
    expect(events).not.toContain('[DONE]');

    // The openai client raises it as an APIError.
    const stream = await client(tenant.key).chat.completions.create({ model: WAI, stream: true, tools: [weather], messages: [{ role: 'user', content: `get_weather ${uniqueText('y')} [[fake:tool-preamble]] [[fake:tool-unknown]]` }] });
    const raised = await readStream(stream).then(() => undefined, (error: unknown) => error as ApiError);
    expect(raised).toMatchObject({ code: 'invalid_model_output' });

    const rows = await eventually(() => usageForTenant(env.DB, tenant.id), (found) => found.some((row) => row.request_id === `${requestId}:moderate-input`));
    expect(rows.some((row) => row.request_id === `${requestId}:generate`)).toBe(false);
  });

  it('a repeated streamed agent request is answered from the cache, calls included', async () => {
    const { tenant } = await tenantWithBot();
    const request = { model: HF, tools: [lookup], stream: true as const, messages: [{ role: 'user' as const, content: `lookup_order 88 ${uniqueText('c')} [[fake:tool-preamble]]` }] };
    const first = await readStream(await client(tenant.key).chat.completions.create(request));
    const second = await readStream(await client(tenant.key).chat.completions.create(request));
    expect(second.content.join('')).toBe(first.content.join(''));
    expect(argumentsOf(second.calls, 0)).toEqual({ order: 88 });
    expect(second.calls.find((delta) => delta.id)!.id).toBe(first.calls.find((delta) => delta.id)!.id);
    expect(await hfCallsFor(request.messages[0]!.content)).toBe(1);
  });
});

describe('GET /v1/models', () => {
  it('says which chat models take tools and response_format', async () => {
    const tenant = await createTenant();
    const models = await client(tenant.key).models.list();
    const supports = new Map(models.data.map((model) => [model.id, (model as unknown as { supports?: string[] }).supports]));
    expect(supports.get(WAI)).toEqual(['tools', 'response_format']);
    expect(supports.get(HF)).toEqual(['tools', 'response_format']);
    expect(supports.get('@cf/meta/llama-3.2-1b-instruct')).toBeUndefined();
    expect(supports.get('minnow/quote-passages')).toBeUndefined();
  });
});

describe('the OpenAPI document', () => {
  it('describes the agent fields of ChatCompletionRequest and the tool calls of ChatCompletion', async () => {
    const document = (await (await SELF.fetch('https://minnow.test/openapi.json')).json()) as { components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
    const { schemas } = document.components;
    expect(Object.keys(schemas.ChatCompletionRequest!.properties!)).toEqual(expect.arrayContaining(['tools', 'tool_choice', 'parallel_tool_calls', 'response_format']));
    expect(schemas).toHaveProperty('ChatTool');
    expect(schemas).toHaveProperty('ChatToolCall');
    expect(schemas).toHaveProperty('ChatResponseFormat');
    expect(JSON.stringify(schemas.ChatCompletion)).toContain('tool_calls');
  });
});
