import { describe, expect, it } from 'vitest';
import { MAX_BOT_KNOWLEDGE_BASES, MAX_INSTRUCTIONS_CHARS, MAX_TOPICS } from '../../src/chat/schema';
import { ADMIN, call, createTenant, json } from '../support/api';
import { createBot, createKnowledgeBase } from './support';

describe('/v1/bots', () => {
  it('creates, reads, lists, changes and deletes a bot', async () => {
    const tenant = await createTenant();
    const kb = await createKnowledgeBase(tenant.auth, [{ title: 'FAQ', text: 'We are open from 9 to 5.' }]);
    const created = await call('/v1/bots', {
      headers: tenant.auth,
      body: { name: 'Help', instructions: 'Be brief.', knowledge_bases: [kb.id], topics: ['opening hours'], escalation: { keywords: ['lawyer'], on_negative_sentiment: true } },
    });
    expect(created.status).toBe(201);
    const bot = await json(created);
    expect(bot).toMatchObject({
      object: 'bot', name: 'Help', knowledge_bases: [kb.id], topics: ['opening hours'], model: null, providers: null,
      escalation: { keywords: ['lawyer'], min_retrieval_score: null, on_request_for_human: true, on_negative_sentiment: 0.8, handoff_message: null },
    });
    expect(bot.id).toMatch(/^bot_/);
    expect(await json(await call(`/v1/bots/${bot.id}`, { headers: tenant.auth }))).toEqual(bot);
    expect((await json(await call('/v1/bots', { headers: tenant.auth }))).data.map((b: { id: string }) => b.id)).toEqual([bot.id]);

    const patched = await call(`/v1/bots/${bot.id}`, { method: 'PATCH', headers: tenant.auth, body: { topics: null, model: '@cf/meta/llama-3.2-3b-instruct', escalation: { on_negative_sentiment: false } } });
    expect(patched.status).toBe(200);
    expect(await json(patched)).toMatchObject({ topics: null, model: '@cf/meta/llama-3.2-3b-instruct', name: 'Help', escalation: { keywords: ['lawyer'], on_negative_sentiment: null } });

    expect(await json(await call(`/v1/bots/${bot.id}`, { method: 'DELETE', headers: tenant.auth }))).toEqual({ id: bot.id, object: 'bot', deleted: true });
    expect((await call(`/v1/bots/${bot.id}`, { headers: tenant.auth })).status).toBe(404);
  });

  it('rejects bad input naming the field', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const kb = await createKnowledgeBase(tenant.auth, [{ title: 'FAQ', text: 'We are open from 9 to 5.' }]);
    const foreign = await createKnowledgeBase(other.auth, [{ title: 'FAQ', text: 'Other tenant.' }]);
    const attempt = async (body: Record<string, unknown>) => {
      const response = await call('/v1/bots', { headers: tenant.auth, body: { name: 'Help', instructions: '', knowledge_bases: [kb.id], ...body } });
      expect(response.status).toBe(400);
      return (await json(response)).error;
    };
    expect(await attempt({ knowledge_bases: [kb.id, foreign.id] })).toMatchObject({ code: 'invalid_field', param: 'knowledge_bases.1' });
    expect(await attempt({ knowledge_bases: [kb.id, 'kb_doesNotExist'] })).toMatchObject({ param: 'knowledge_bases.1' });
    expect(await attempt({ knowledge_bases: [] })).toMatchObject({ param: 'knowledge_bases' });
    expect(await attempt({ knowledge_bases: Array.from({ length: MAX_BOT_KNOWLEDGE_BASES + 1 }, () => kb.id) })).toMatchObject({ param: 'knowledge_bases' });
    expect(await attempt({ instructions: 'x'.repeat(MAX_INSTRUCTIONS_CHARS + 1) })).toMatchObject({ param: 'instructions' });
    expect(await attempt({ topics: Array.from({ length: MAX_TOPICS + 1 }, (_, i) => `topic ${i}`) })).toMatchObject({ param: 'topics' });
    expect(await attempt({ model: 'gpt-4o' })).toMatchObject({ param: 'model' });
    expect(await attempt({ model: '@cf/meta/llama-3.2-1b-instruct', providers: ['local'] })).toMatchObject({ param: 'model' });
    expect(await attempt({ escalation: { min_retrieval_score: 2 } })).toMatchObject({ param: 'escalation.min_retrieval_score' });
    expect(await attempt({ colour: 'blue' })).toMatchObject({ code: 'unknown_field', param: 'colour' });
  });

  it("another tenant's bot is 404, and managing bots needs a secret key", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const kb = await createKnowledgeBase(tenant.auth, [{ title: 'FAQ', text: 'We are open from 9 to 5.' }]);
    const bot = await createBot(tenant.auth, { knowledge_bases: [kb.id] });
    for (const [method, body] of [['GET'], ['PATCH', { name: 'x' }], ['DELETE']] as const) {
      const response = await call(`/v1/bots/${bot.id}`, { method, headers: other.auth, ...(body ? { body } : {}) });
      expect(response.status).toBe(404);
      expect((await json(response)).error.code).toBe('bot_not_found');
    }
    expect((await json(await call('/v1/bots', { headers: other.auth }))).data).toEqual([]);

    const issued = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'publishable', origins: ['https://shop.example'], scopes: ['chat'] } }));
    const response = await call('/v1/bots', { headers: { authorization: `Bearer ${issued.key}`, origin: 'https://shop.example' } });
    expect(response.status).toBe(403);
    expect((await json(response)).error.code).toBe('secret_key_required');
  });
});

describe('OpenAPI', () => {
  it('documents every chat route', async () => {
    const document = await json(await call('/openapi.json'));
    for (const path of ['/v1/bots', '/v1/bots/{id}', '/v1/chat', '/v1/chat/completions', '/v1/conversations/{id}']) expect(document.paths[path], path).toBeDefined();
    expect(Object.keys(document.paths['/v1/bots/{id}'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    expect(document.paths['/v1/chat'].post.responses['200'].content['text/event-stream']).toBeDefined();
  });
});
