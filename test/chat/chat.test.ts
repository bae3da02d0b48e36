import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { usageForTenant } from '../../src/storage/usage';
import { ADMIN, call, createTenant, json } from '../support/api';
import { chat, createBot, createKnowledgeBase, eventually, HELP_DOCS, tenantWithBot } from './support';

describe('POST /v1/chat', () => {
  it('answers from the knowledge base with citations that map to the sources', async () => {
    const { tenant, kb, bot } = await tenantWithBot();
    const response = await chat(tenant.auth, { bot: bot.id, message: 'How long do refunds take?' });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ object: 'chat.response', bot: bot.id, mode: 'generated', provider: 'workers-ai', model: '@cf/meta/llama-3.2-1b-instruct' });
    expect(body.conversation_id).toMatch(/^conv_[0-9A-Za-z]{22}$/);
    expect(body.message).toEqual({ role: 'assistant', content: 'Refunds are paid back to the original card within 5 business days. [1]' });
    // [1] is the refund document: the passage the answer quotes.
    expect(body.citations).toEqual([{ index: 1, document_id: kb.documents[0], title: 'Refund policy', url: 'https://help.example.com/refunds', text: HELP_DOCS[0]!.text }]);
    expect(body.usage.cost_usd).toBeGreaterThan(0);
    expect(body.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('falls back to the next provider, and answers with a 503 JSON error when none can', async () => {
    const { tenant, bot } = await tenantWithBot({ instructions: 'Be brief. [[ai:3040]]' });
    const body = await json(await chat(tenant.auth, { bot: bot.id, message: 'How long do refunds take?' }));
    expect(body).toMatchObject({ provider: 'huggingface', model: 'meta-llama/Llama-3.2-1B-Instruct', fallback_from: [{ provider: 'workers-ai', code: 'upstream_overloaded' }] });
    expect(body.message.content).toBe('Refunds are paid back to the original card within 5 business days. [1]');

    const down = await tenantWithBot({ instructions: '[[ai:3040]] [[hf:503]]', providers: ['workers-ai', 'huggingface'] });
    const response = await chat(down.tenant.auth, { bot: down.bot.id, message: 'How long do refunds take?' });
    expect(response.status).toBe(503);
    expect((await json(response)).error.message).toMatch(/All providers failed — workers-ai: .*; huggingface: /);
  });

  it('returns only the citations the answer used, and drops invented ones', async () => {
    const { tenant, bot } = await tenantWithBot();
    const body = await json(await chat(tenant.auth, { bot: bot.id, message: 'How long do refunds and shipping take? [[fake:cite-2]] [[fake:cite-9]]' }));
    expect(body.message.content).toContain('[1]');
    expect(body.message.content).toContain('[2]');
    expect(body.message.content).not.toContain('[9]');
    expect(body.citations.map((citation: { index: number }) => citation.index)).toEqual([1, 2]);
    for (const citation of body.citations) expect(body.message.content).toContain(`[${citation.index}]`);
  });

  it('continues a conversation: the stored history goes into the prompt', async () => {
    const { tenant, bot } = await tenantWithBot();
    const [firstMarker, marker] = [crypto.randomUUID(), crypto.randomUUID()];
    const first = await json(await chat(tenant.auth, { bot: bot.id, message: `How long do refunds take? ${firstMarker}` }));
    const second = await json(await chat(tenant.auth, { bot: bot.id, conversation_id: first.conversation_id, message: `And for gift cards? ${marker}` }));
    expect(second.conversation_id).toBe(first.conversation_id);
    // The second prompt carried the first turn: the llama stand-in saw the first question beside the marker.
    const conversation = await json(await call(`/v1/conversations/${first.conversation_id}`, { headers: tenant.auth }));
    expect(conversation).toMatchObject({ id: first.conversation_id, bot: bot.id, turns: 2, handoff: null });
    expect(conversation.messages.map((m: { role: string; content: string }) => [m.role, m.content])).toEqual([
      ['user', `How long do refunds take? ${firstMarker}`],
      ['assistant', first.message.content],
      ['user', `And for gift cards? ${marker}`],
      ['assistant', second.message.content],
    ]);
    expect(conversation.messages[1].citations).toEqual(first.citations);
    // Both prompts held the first question: the second as history.
    expect(await env.AI_CONTROL.callsFor(firstMarker, '@cf/meta/llama-3.2-1b-instruct')).toBe(2);
    expect(await env.AI_CONTROL.callsFor(marker, '@cf/meta/llama-3.2-1b-instruct')).toBe(1);
  });

  it('accepts `messages` instead of `message`, exactly one of them', async () => {
    const { tenant, bot } = await tenantWithBot();
    const body = await json(
      await chat(tenant.auth, {
        bot: bot.id,
        messages: [
          { role: 'system', content: 'ignored' },
          { role: 'user', content: 'Hi' },
          { role: 'assistant', content: 'Hello! How can I help?' },
          { role: 'user', content: 'How long does standard shipping take?' },
        ],
      }),
    );
    expect(body.message.content).toMatch(/\[1\]$/);
    const bad = async (extra: Record<string, unknown>) => {
      const response = await chat(tenant.auth, { bot: bot.id, ...extra });
      expect(response.status).toBe(400);
      return (await json(response)).error;
    };
    expect(await bad({})).toMatchObject({ code: 'missing_field', param: 'message' });
    expect(await bad({ message: 'Hi', messages: [{ role: 'user', content: 'Hi' }] })).toMatchObject({ param: 'messages' });
    expect(await bad({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }] })).toMatchObject({ param: 'messages.1' });
    expect(await bad({ message: 'x'.repeat(4_001) })).toMatchObject({ param: 'message' });
    expect(await bad({ message: 'Hi', colour: 'blue' })).toMatchObject({ code: 'unknown_field', param: 'colour' });
  });

  it("isolates tenants: another tenant's bot, conversation and knowledge base are not found", async () => {
    const { tenant, bot } = await tenantWithBot();
    const other = await createTenant();
    const otherKb = await createKnowledgeBase(other.auth, [{ title: 'Secret', text: 'The vault code of the other tenant is Zorblax-Quintet.' }]);
    const response = await chat(other.auth, { bot: bot.id, message: 'Hi' });
    expect(response.status).toBe(404);
    expect((await json(response)).error).toMatchObject({ code: 'bot_not_found', param: 'bot' });

    const mine = await json(await chat(tenant.auth, { bot: bot.id, message: 'How long do refunds take?' }));
    const otherBot = await createBot(other.auth, { knowledge_bases: [otherKb.id] });
    const hijack = await chat(other.auth, { bot: otherBot.id, conversation_id: mine.conversation_id, message: 'Hi' });
    expect(hijack.status).toBe(404);
    expect((await json(hijack)).error).toMatchObject({ code: 'conversation_not_found', param: 'conversation_id' });
    expect((await call(`/v1/conversations/${mine.conversation_id}`, { headers: other.auth })).status).toBe(404);
    // A conversation stays with its bot.
    const [myKb] = bot.knowledge_bases;
    const secondBot = await createBot(tenant.auth, { knowledge_bases: [myKb] });
    const switched = await chat(tenant.auth, { bot: secondBot.id, conversation_id: mine.conversation_id, message: 'Hi' });
    expect(switched.status).toBe(400);
    expect((await json(switched)).error.param).toBe('conversation_id');

    // A bot cannot be pointed at another tenant's knowledge base, so its passages never reach a prompt.
    const patched = await call(`/v1/bots/${bot.id}`, { method: 'PATCH', headers: tenant.auth, body: { knowledge_bases: [otherKb.id] } });
    expect(patched.status).toBe(400);
    expect((await json(patched)).error.param).toBe('knowledge_bases.0');
    // A word no UUID can contain (a hex number like 4711 can turn up inside other tests' random ids).
    expect(await env.AI_CONTROL.callsFor('Zorblax-Quintet')).toBe(0);
  });

  it('needs the chat scope; a publishable key may chat from its origin', async () => {
    const { tenant, bot } = await tenantWithBot();
    const sentimentOnly = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'secret', scopes: ['sentiment'] } }));
    const refused = await chat({ authorization: `Bearer ${sentimentOnly.key}` }, { bot: bot.id, message: 'Hi' });
    expect(refused.status).toBe(403);
    expect((await json(refused)).error.code).toBe('scope_not_allowed');

    const pk = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'publishable', origins: ['https://shop.example'], scopes: ['chat'] } }));
    const visitor = { authorization: `Bearer ${pk.key}`, origin: 'https://shop.example' };
    const answered = await chat(visitor, { bot: bot.id, message: 'How long do refunds take?' });
    expect(answered.status).toBe(200);
    expect((await chat({ ...visitor, origin: 'https://evil.example' }, { bot: bot.id, message: 'Hi' })).status).toBe(403);
  });

  it('meters every step of a turn as its own usage event', async () => {
    const { tenant, bot } = await tenantWithBot();
    const response = await chat(tenant.auth, { bot: bot.id, message: 'How long do refunds take?' });
    const requestId = response.headers.get('x-request-id')!;
    const body = await json(response);
    const events = await eventually(() => usageForTenant(env.DB, tenant.id), (rows) => rows.filter((row) => row.request_id.startsWith(requestId)).length >= 4);
    const steps = new Map(events.filter((row) => row.request_id.startsWith(requestId)).map((row) => [row.request_id.slice(requestId.length + 1), row]));
    expect([...steps.keys()]).toEqual(expect.arrayContaining(['moderate-input', 'generate', 'moderate-output']));
    expect(steps.get('generate')).toMatchObject({ task: 'chat', provider: 'workers-ai', model: '@cf/meta/llama-3.2-1b-instruct' });
    const turnSteps = ['moderate-input', 'generate', 'moderate-output'].map((step) => steps.get(step)!.cost_usd);
    expect(body.usage.cost_usd).toBeCloseTo(turnSteps.reduce((a, b) => a + b, 0), 12);
    const usage = await json(await call('/v1/usage?group_by=task', { headers: tenant.auth }));
    expect(usage.data.map((group: { group: string }) => group.group)).toContain('chat');
  });
});
