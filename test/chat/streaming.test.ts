import { describe, expect, it } from 'vitest';
import { INTERRUPTED_NOTE } from '../../src/chat/generate';
import { QUOTING_INTRO } from '../../src/providers/local/chat-quote';
import { call, createTenant, json } from '../support/api';
import { chat, eventually, readEvents, tenantWithBot, type SseEvent } from './support';
import { env } from 'cloudflare:test';
import { usageForTenant } from '../../src/storage/usage';

const QUESTION = 'How long do refunds take?';
const FULL_ANSWER = 'Refunds are paid back to the original card within 5 business days. [1]';

const names = (events: SseEvent[]) => events.map((event) => event.event);
const streamedText = (events: SseEvent[]) => events.filter((event) => event.event === 'delta').map((event) => event.data.content).join('');

async function streamChat(bot: Record<string, unknown> = {}, message = QUESTION) {
  const { tenant, bot: created } = await tenantWithBot(bot);
  const response = await chat(tenant.auth, { bot: created.id, message, stream: true });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  return { tenant, bot: created, events: await readEvents(response) };
}

describe('POST /v1/chat with stream: true', () => {
  it('sends start, deltas and done; the deltas add up to the answer, done is the whole response', async () => {
    const { tenant, bot, events } = await streamChat();
    expect(names(events)[0]).toBe('start');
    expect(names(events).at(-1)).toBe('done');
    expect(names(events).slice(1, -1).every((name) => name === 'delta')).toBe(true);
    expect(events.filter((event) => event.event === 'delta').length).toBeGreaterThan(3);
    const [start, done] = [events[0]!.data, events.at(-1)!.data];
    expect(start.conversation_id).toBe(done.conversation_id);
    expect(start.citations.map((citation: { index: number }) => citation.index)).toEqual([1, 2, 3]);
    expect(streamedText(events)).toBe(FULL_ANSWER);
    expect(done).toMatchObject({ object: 'chat.response', bot: bot.id, message: { role: 'assistant', content: FULL_ANSWER }, mode: 'generated', provider: 'workers-ai' });
    expect(done.citations).toEqual([start.citations[0]]);
    // The same turn without streaming gives the same answer.
    const plain = await json(await chat(tenant.auth, { bot: bot.id, message: QUESTION }));
    expect(plain.message.content).toBe(done.message.content);
  });

  it('an identical prompt is answered from the cache, streamed or not', async () => {
    const { tenant, bot } = await tenantWithBot();
    const marker = crypto.randomUUID();
    const message = `How long do refunds take? ${marker}`;
    const first = await readEvents(await chat(tenant.auth, { bot: bot.id, message, stream: true }));
    const second = await readEvents(await chat(tenant.auth, { bot: bot.id, message, stream: true }));
    expect(streamedText(second)).toBe(streamedText(first));
    expect(second.filter((event) => event.event === 'delta')).toHaveLength(1);
    expect(second.at(-1)!.data.usage.cost_usd).toBeLessThan(first.at(-1)!.data.usage.cost_usd);
    const plain = await json(await chat(tenant.auth, { bot: bot.id, message }));
    expect(plain.message.content).toBe(first.at(-1)!.data.message.content);
    expect(await env.AI_CONTROL.callsFor(marker, '@cf/meta/llama-3.2-1b-instruct')).toBe(1);
    // Cache-Control: no-cache asks the model again.
    await readEvents(await call('/v1/chat', { headers: { ...tenant.auth, 'cache-control': 'no-cache' }, body: { bot: bot.id, message, stream: true } }));
    expect(await env.AI_CONTROL.callsFor(marker, '@cf/meta/llama-3.2-1b-instruct')).toBe(2);
  });

  it('parses the OpenAI chunk format some Workers AI models stream', async () => {
    const { events } = await streamChat({ instructions: 'Be brief. [[ai:stream-openai]]' });
    expect(streamedText(events)).toBe(FULL_ANSWER);
    expect(events.at(-1)!.data.provider).toBe('workers-ai');
  });

  it('falls back silently when a provider fails before its first token', async () => {
    const { events } = await streamChat({ instructions: 'Be brief. [[ai:3040]]' });
    expect(names(events)).not.toContain('error');
    expect(streamedText(events)).toBe(FULL_ANSWER);
    expect(events.at(-1)!.data).toMatchObject({ provider: 'huggingface', fallback_from: [{ provider: 'workers-ai', code: 'upstream_overloaded' }] });
  });

  it('a provider that breaks mid-stream is continued by the next model, seamlessly', async () => {
    const codes = { 'stream-break': 'upstream_overloaded', 'stream-cut': 'upstream_error', 'stream-stall': 'upstream_timeout' };
    for (const [fault, code] of Object.entries(codes)) {
      const { events } = await streamChat({ instructions: `Be brief. [[ai:${fault}]]` });
      expect(names(events), fault).not.toContain('error');
      // Three tokens came from Workers AI, the rest from Hugging Face asked to continue them.
      expect(streamedText(events), fault).toBe(FULL_ANSWER);
      const done = events.at(-1)!.data;
      expect(done.message.content).toBe(FULL_ANSWER);
      expect(done).toMatchObject({ provider: 'workers-ai', continued_by: [{ provider: 'huggingface' }], fallback_from: [{ provider: 'workers-ai', code }] });
    }
  });

  it('meters each provider that wrote part of a streamed answer', async () => {
    const { tenant, bot } = await tenantWithBot({ instructions: 'Be brief. [[ai:stream-break]]' });
    const response = await chat(tenant.auth, { bot: bot.id, message: QUESTION, stream: true });
    const requestId = response.headers.get('x-request-id')!;
    const done = (await readEvents(response)).at(-1)!.data;
    const events = await eventually(() => usageForTenant(env.DB, tenant.id), (rows) => rows.some((row) => row.request_id === `${requestId}:generate:1`));
    const byId = new Map(events.map((row) => [row.request_id, row]));
    expect(byId.get(`${requestId}:generate`)).toMatchObject({ task: 'chat', provider: 'workers-ai' });
    expect(byId.get(`${requestId}:generate:1`)).toMatchObject({ task: 'chat', provider: 'huggingface' });
    const generation = byId.get(`${requestId}:generate`)!.cost_usd + byId.get(`${requestId}:generate:1`)!.cost_usd;
    const guardrails = ['moderate-input', 'moderate-output'].reduce((sum, step) => sum + (byId.get(`${requestId}:${step}`)?.cost_usd ?? 0), 0);
    expect(done.usage.cost_usd).toBeCloseTo(generation + guardrails, 12);
  });

  it('stops generating when the client goes away; the partial answer is what is stored', async () => {
    const { tenant, bot } = await tenantWithBot({ instructions: 'Be brief. [[ai:stream-slow]]' });
    const response = await chat(tenant.auth, { bot: bot.id, message: QUESTION, stream: true });
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    const stored = await eventually(
      async () => (await json(await call('/v1/conversations', { headers: tenant.auth }))).data as { id: string }[],
      (data) => data.length > 0,
    );
    const conversation = await json(await call(`/v1/conversations/${stored[0]!.id}`, { headers: tenant.auth }));
    const answer = conversation.messages[1].content as string;
    expect(answer.length).toBeLessThan(FULL_ANSWER.length);
    expect(FULL_ANSWER.startsWith(answer)).toBe(true);
  });

  it('with only the local tier left, an interrupted answer ends with a note and the quoted passages', async () => {
    const { events } = await streamChat({ instructions: 'Be brief. [[ai:stream-break]]', providers: ['workers-ai', 'local'] });
    expect(names(events)).not.toContain('error');
    const content = events.at(-1)!.data.message.content as string;
    expect(streamedText(events)).toBe(content);
    expect(content.startsWith('Refunds are paid ')).toBe(true);
    expect(content).toContain(INTERRUPTED_NOTE);
    expect(content).toMatch(/> Refunds are paid back to the original card within 5 business days\.[^\n]* \[1\]/);
    expect(events.at(-1)!.data).toMatchObject({ provider: 'workers-ai', continued_by: [{ provider: 'local' }] });
    expect(events.at(-1)!.data.citations[0].index).toBe(1);
  });

  it('ends with an error event when no provider can finish', async () => {
    const broken = await streamChat({ instructions: 'Be brief. [[ai:stream-break]] [[hf:stream-break]]', providers: ['workers-ai', 'huggingface'] });
    expect(names(broken.events)[0]).toBe('start');
    expect(names(broken.events).at(-1)).toBe('error');
    expect(names(broken.events)).not.toContain('done');
    expect(broken.events.at(-1)!.data.error).toMatchObject({ type: 'upstream_error', code: 'stream_interrupted' });
    expect(broken.events.at(-1)!.data.error.message).toMatch(/workers-ai: .*huggingface: /);
    expect(broken.events.at(-1)!.data.error.request_id).toBeTruthy();

    const down = await streamChat({ instructions: 'Be brief. [[ai:3040]] [[hf:503]]', providers: ['workers-ai', 'huggingface'] });
    expect(names(down.events)).toEqual(['start', 'error']);
    expect(down.events[1]!.data.error.message).toMatch(/All providers failed/);
    // The last provider's error, as a non-streamed turn reports it.
    expect(down.events[1]!.data.error.code).toBe('upstream_unavailable');
  });

  it('errors before the stream starts are plain JSON with a status', async () => {
    const { tenant, bot } = await tenantWithBot();
    const unknown = await chat(tenant.auth, { bot: 'bot_doesNotExist', message: 'Hi', stream: true });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/json/);
    const invalid = await chat(tenant.auth, { bot: bot.id, stream: true });
    expect(invalid.status).toBe(400);
    const unauthenticated = await call('/v1/chat', { body: { bot: bot.id, message: 'Hi', stream: true } });
    expect(unauthenticated.status).toBe(401);
    // Admission reserves a whole turn's worst case before anything runs.
    const poor = await createTenant({ limits: { daily_budget_usd: 0.000001 } });
    const broke = await chat(poor.auth, { bot: bot.id, message: 'When are you open?', stream: true });
    expect(broke.status).toBe(402);
    expect((await json(broke)).error.code).toBe('budget_exhausted');
  });

  it('streams refusals and handoffs as events too', async () => {
    const { events } = await streamChat({}, 'I want to talk to a human please');
    expect(names(events)).toEqual(['start', 'delta', 'handoff', 'done']);
    expect(events[2]!.data).toEqual(events[3]!.data.handoff);
    expect(streamedText(events)).toBe(events[3]!.data.message.content);
  });

  it('a local-only bot streams its quoted answer', async () => {
    const { events } = await streamChat({ providers: ['local'] });
    const done = events.at(-1)!.data;
    expect(done).toMatchObject({ mode: 'quoted', provider: 'local' });
    expect(done.message.content.startsWith(QUOTING_INTRO)).toBe(true);
  });
});
