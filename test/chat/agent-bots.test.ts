import { SELF } from 'cloudflare:test';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { call, hfCallsFor, json, uniqueText } from '../support/api';
import { HELP_DOCS, tenantWithBot } from './support';

const client = (key: string) =>
  new OpenAI({ apiKey: key, baseURL: 'https://minnow.test/v1', maxRetries: 0, fetch: (url, init) => SELF.fetch(url as string, init as RequestInit) });

const WAI = '@cf/meta/llama-4-scout-17b-16e-instruct';
const HF = 'meta-llama/Llama-3.2-1B-Instruct';
const REFUND_SENTENCE = 'Refunds are paid back to the original card within 5 business days.';

const lookup: ChatCompletionTool = {
  type: 'function',
  function: { name: 'lookup_order', description: 'Finds an order by its number', parameters: { type: 'object', properties: { order: { type: 'integer' } }, required: ['order'] } },
};

type ApiError = InstanceType<typeof OpenAI.APIError>;
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as ApiError);
type Minnow = { conversation_id: string; citations: { index: number; document_id: string; title: string }[]; handoff?: { reason: string; message: string }; model: string };
const minnowOf = (completion: unknown) => (completion as { minnow: Minnow }).minnow;

describe('a bot that enables tools for agents', () => {
  for (const model of [HF, WAI]) {
    it(`${model}: calls a tool (no citations yet), then answers from the tool result grounded and cited`, async () => {
      const { tenant, kb } = await tenantWithBot({ model, agent: { tools: true } });
      const bot = (await json(await call('/v1/bots', { headers: tenant.auth }))).data[0];
      expect(bot.agent).toEqual({ tools: true, json: false });
      const openai = client(tenant.key);
      const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: `Where is my refund for order 4521? Please use lookup_order. ${uniqueText('b')}` }];
      const first = await openai.chat.completions.create({ model: bot.id, messages, tools: [lookup] });
      expect(first.choices[0]!.finish_reason).toBe('tool_calls');
      const toolCall = first.choices[0]!.message.tool_calls![0] as { id: string; function: { name: string; arguments: string } };
      expect(toolCall.function.name).toBe('lookup_order');
      expect(JSON.parse(toolCall.function.arguments)).toEqual({ order: 4521 });
      expect(minnowOf(first).citations).toEqual([]);

      messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: toolCall.id, content: '{"status": "refund sent"}' });
      const second = await openai.chat.completions.create({ model: bot.id, messages, tools: [lookup], conversation_id: minnowOf(first).conversation_id } as never);
      expect(second.choices[0]!.finish_reason).toBe('stop');
      // The model saw the tool result and the bot's sources: its answer cites them.
      expect(second.choices[0]!.message.content).toBe(`Tool lookup_order said: {"status": "refund sent"}. ${REFUND_SENTENCE} [1]`);
      expect(minnowOf(second).citations).toEqual([expect.objectContaining({ index: 1, title: HELP_DOCS[0]!.title, document_id: kb.documents[0] })]);

      // The transcript keeps both rounds: the call, then the tool result as the round's input.
      const conversation = await json(await call(`/v1/conversations/${minnowOf(first).conversation_id}`, { headers: tenant.auth }));
      expect(conversation.messages.map((message: { role: string; content: string }) => [message.role, message.content.split(' ')[0] + ' ' + message.content.split(' ')[1]])).toEqual([
        ['user', 'Where is'],
        ['assistant', '[tool call'],
        ['user', '[tool result'],
        ['assistant', 'Tool lookup_order'],
      ]);
    });
  }

  it('streams the call in OpenAI deltas, with the turn\'s minnow fields in the last chunk', async () => {
    const { tenant, bot } = await tenantWithBot({ model: WAI, agent: { tools: true } });
    const stream = await client(tenant.key).chat.completions.create({ model: bot.id, stream: true, tools: [lookup], messages: [{ role: 'user', content: `Check order 31 with lookup_order ${uniqueText('s')}` }] });
    let args = '';
    let finish: string | null = null;
    let minnow: Minnow | undefined;
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) args += delta.function?.arguments ?? '';
      if (chunk.choices[0]?.finish_reason) {
        finish = chunk.choices[0].finish_reason;
        minnow = minnowOf(chunk);
      }
    }
    expect(JSON.parse(args)).toEqual({ order: 31 });
    expect(finish).toBe('tool_calls');
    expect(minnow!.citations).toEqual([]);
    expect(minnow!.conversation_id).toMatch(/^conv_/);
  });

  it('a provider that breaks off before any text is replaced by the next capable one; after text the stream ends with stream_interrupted', async () => {
    const { tenant, bot } = await tenantWithBot({ model: WAI, providers: ['workers-ai', 'huggingface'], agent: { tools: true }, instructions: 'Answer questions about Acme orders. [[ai:stream-break]]' });
    const openai = client(tenant.key);
    const question = `Check order 12 with lookup_order ${uniqueText('f')}`;
    const stream = await openai.chat.completions.create({ model: bot.id, stream: true, tools: [lookup], messages: [{ role: 'user', content: question }] });
    const ids = new Set<string>();
    let args = '';
    let minnow: (Minnow & { provider: string; fallback_from?: { provider: string; code: string }[]; continued_by?: unknown }) | undefined;
    for await (const chunk of stream) {
      for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
        if (delta.id) ids.add(delta.id);
        args += delta.function?.arguments ?? '';
      }
      if (chunk.choices[0]?.finish_reason) minnow = minnowOf(chunk) as typeof minnow;
    }
    // Only the second provider's call reached the client: the broken one's fragments were never sent.
    expect(ids.size).toBe(1);
    expect(JSON.parse(args)).toEqual({ order: 12 });
    expect(minnow).toMatchObject({ provider: 'huggingface', fallback_from: [{ provider: 'workers-ai', code: 'upstream_overloaded' }] });
    expect(minnow!.continued_by).toBeUndefined();

    const withText = `Check order 13 with lookup_order ${uniqueText('g')} [[fake:tool-preamble]]`;
    const broken = await openai.chat.completions.create({ model: bot.id, stream: true, tools: [lookup], messages: [{ role: 'user', content: withText }] });
    let text = '';
    const error = await (async () => {
      for await (const chunk of broken) text += chunk.choices[0]?.delta.content ?? '';
    })().then(() => undefined, (raised: unknown) => raised as ApiError);
    expect(text).toBe('Let me look that up.');
    expect(error).toMatchObject({ code: 'stream_interrupted' });
    expect(await hfCallsFor(withText)).toBe(0);
  });

  it('keeps its guardrails: a request for a person is handed off, with no call', async () => {
    const { tenant, bot } = await tenantWithBot({ model: HF, agent: { tools: true } });
    const completion = await client(tenant.key).chat.completions.create({ model: bot.id, tools: [lookup], tool_choice: 'required', messages: [{ role: 'user', content: `I want to talk to a human about order 4521 ${uniqueText('h')}` }] });
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.choices[0]!.message.tool_calls).toBeUndefined();
    expect(minnowOf(completion).handoff).toMatchObject({ reason: 'requested_human' });
  });

  it('still refuses JSON output, which it did not enable', async () => {
    const { tenant, bot } = await tenantWithBot({ model: HF, agent: { tools: true } });
    const error = await failure(client(tenant.key).chat.completions.create({ model: bot.id, response_format: { type: 'json_object' }, messages: [{ role: 'user', content: 'How long do refunds take?' }] }));
    expect(error).toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'response_format' });
    expect(error!.message).toContain(`PATCH /v1/bots/${bot.id} {"agent": {"json": true}}`);
  });
});

describe('a bot that enables JSON output', () => {
  it('answers a JSON object that still cites its sources; a guardrail answer is a refusal, not content', async () => {
    const { tenant, bot } = await tenantWithBot({ model: WAI, agent: { json: true } });
    const openai = client(tenant.key);
    const answer = await openai.chat.completions.create({ model: bot.id, response_format: { type: 'json_object' }, messages: [{ role: 'user', content: uniqueText('How long do refunds take?') }] });
    expect(JSON.parse(answer.choices[0]!.message.content!)).toEqual({ answer: `${REFUND_SENTENCE} [1]` });
    expect(minnowOf(answer).citations.map((citation) => citation.index)).toEqual([1]);

    // The document is passed on as checked: a marker for a source the prompt did not have stays in
    // the JSON text (in JSON `[9]` may be an array), and `citations` lists only real sources.
    const invented = await openai.chat.completions.create({ model: bot.id, response_format: { type: 'json_object' }, messages: [{ role: 'user', content: `${uniqueText('How long do refunds take?')} [[fake:cite-9]]` }] });
    expect(JSON.parse(invented.choices[0]!.message.content!).answer).toBe(`${REFUND_SENTENCE} [1] See also the appendix [9].`);
    expect(minnowOf(invented).citations.map((citation) => citation.index)).toEqual([1]);

    const handoff = await openai.chat.completions.create({ model: bot.id, response_format: { type: 'json_object' }, messages: [{ role: 'user', content: uniqueText('Let me speak to a real person') }] });
    expect(handoff.choices[0]!.message.content).toBeNull();
    expect(handoff.choices[0]!.message.refusal).toBe(minnowOf(handoff).handoff!.message);

    const streamed = await openai.chat.completions.create({ model: bot.id, stream: true, response_format: { type: 'json_object' }, messages: [{ role: 'user', content: uniqueText('How long do refunds take?') }] });
    const contents: string[] = [];
    for await (const chunk of streamed) if (chunk.choices[0]?.delta.content) contents.push(chunk.choices[0].delta.content);
    expect(contents).toHaveLength(1);
    expect(JSON.parse(contents[0]!)).toEqual({ answer: `${REFUND_SENTENCE} [1]` });
  });
});

describe('the agent setting', () => {
  it('is off by default, and needs a bot model that can', async () => {
    const { tenant, bot, kb } = await tenantWithBot();
    expect(bot.agent).toEqual({ tools: false, json: false });

    const noModel = await call('/v1/bots', { headers: tenant.auth, body: { name: 'b', instructions: 'x', knowledge_bases: [kb.id], agent: { tools: true } } });
    expect(noModel.status).toBe(400);
    const noModelBody = await json(noModel);
    expect(noModelBody.error).toMatchObject({ code: 'unsupported_parameter', param: 'agent.tools' });
    expect(noModelBody.error.message).toContain(WAI);
    expect(noModelBody.error.message).toContain(HF);

    const weak = await call(`/v1/bots/${bot.id}`, { method: 'PATCH', headers: tenant.auth, body: { model: '@cf/meta/llama-3.2-1b-instruct', agent: { json: true } } });
    expect((await json(weak)).error).toMatchObject({ code: 'unsupported_parameter', param: 'agent.json' });

    const enabled = await json(await call(`/v1/bots/${bot.id}`, { method: 'PATCH', headers: tenant.auth, body: { model: HF, agent: { tools: true } } }));
    expect(enabled.agent).toEqual({ tools: true, json: false });
    // Changing the model to one that cannot is refused on `model` while tools stay on.
    const downgrade = await call(`/v1/bots/${bot.id}`, { method: 'PATCH', headers: tenant.auth, body: { model: '@cf/meta/llama-3.2-3b-instruct' } });
    expect((await json(downgrade)).error).toMatchObject({ param: 'model' });
    const off = await json(await call(`/v1/bots/${bot.id}`, { method: 'PATCH', headers: tenant.auth, body: { agent: { tools: false } } }));
    expect(off.agent).toEqual({ tools: false, json: false });

    const unknown = await call(`/v1/bots/${bot.id}`, { method: 'PATCH', headers: tenant.auth, body: { agent: { tools: 'yes' } } });
    expect(unknown.status).toBe(400);
    expect((await json(unknown)).error.param).toBe('agent.tools');
  });
});
