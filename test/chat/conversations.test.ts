import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { MAX_KEPT_MESSAGES } from '../../src/chat/finish';
import { conversationExists, recordTurn } from '../../src/storage/conversations';
import { ADMIN, call, json } from '../support/api';
import { chat, tenantWithBot } from './support';

const DAY_MS = 86_400_000;

describe('/v1/conversations/:id', () => {
  it('expires after the retention period: 404 to read or continue, then pruned on a later write', async () => {
    const { tenant, bot } = await tenantWithBot();
    const old = await json(await chat(tenant.auth, { bot: bot.id, message: 'How long do refunds take?' }));
    const conversation = await json(await call(`/v1/conversations/${old.conversation_id}`, { headers: tenant.auth }));
    // Kept for 30 days (CONVERSATION_RETENTION_DAYS' default) after the last message.
    expect(Date.parse(conversation.expires_at) - Date.parse(conversation.updated_at)).toBe(30 * DAY_MS);

    await env.DB.prepare('UPDATE conversations SET expires_at = ? WHERE id = ?').bind(new Date(Date.now() - 1000).toISOString(), old.conversation_id).run();
    const read = await call(`/v1/conversations/${old.conversation_id}`, { headers: tenant.auth });
    expect(read.status).toBe(404);
    expect((await json(read)).error.code).toBe('conversation_not_found');
    expect((await chat(tenant.auth, { bot: bot.id, conversation_id: old.conversation_id, message: 'Hi' })).status).toBe(404);
    expect(await conversationExists(env.DB, old.conversation_id)).toBe(true);

    await chat(tenant.auth, { bot: bot.id, message: 'How long does shipping take?' });
    expect(await conversationExists(env.DB, old.conversation_id)).toBe(false);
    const orphans = await env.DB.prepare('SELECT COUNT(*) AS n FROM conversation_messages WHERE conversation_id = ?').bind(old.conversation_id).first<{ n: number }>();
    expect(orphans!.n).toBe(0);
  });

  it(`keeps the last ${MAX_KEPT_MESSAGES} messages of a long conversation`, async () => {
    const { tenant, bot } = await tenantWithBot();
    const first = await json(await chat(tenant.auth, { bot: bot.id, message: 'How long do refunds take?' }));
    const stored = await env.DB.prepare('SELECT * FROM conversations WHERE id = ?').bind(first.conversation_id).first<Record<string, any>>();
    const conversation = { id: stored!.id, tenantId: stored!.tenant_id, botId: stored!.bot_id, keyId: stored!.key_id, isNew: false };
    for (let turns = 1; turns < 55; turns++) {
      await recordTurn(env.DB, {
        conversation, user: `question ${turns}`, assistant: `answer ${turns}`, citations: [], handoffReason: null,
        now: new Date().toISOString(), expiresAt: new Date(Date.now() + DAY_MS).toISOString(), maxMessages: MAX_KEPT_MESSAGES,
      });
    }
    const read = await json(await call(`/v1/conversations/${first.conversation_id}`, { headers: tenant.auth }));
    expect(read.turns).toBe(55);
    expect(read.messages).toHaveLength(MAX_KEPT_MESSAGES);
    expect(read.messages[0].content).toBe('question 5');
    expect(read.messages.at(-1).content).toBe('answer 54');
  });

  it('two turns sent at once to one conversation are both stored, in order', async () => {
    const { tenant, bot } = await tenantWithBot();
    const first = await json(await chat(tenant.auth, { bot: bot.id, message: 'How long do refunds take?' }));
    const responses = await Promise.all(['Thanks!', 'And shipping?'].map((message) => chat(tenant.auth, { bot: bot.id, conversation_id: first.conversation_id, message })));
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    const read = await json(await call(`/v1/conversations/${first.conversation_id}`, { headers: tenant.auth }));
    expect(read.turns).toBe(3);
    expect(read.messages.map((message: { role: string }) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
  });

  it("lists the tenant's conversations (e.g. the handed-off ones) and deletes one on request", async () => {
    const { tenant, bot } = await tenantWithBot();
    const answered = await json(await chat(tenant.auth, { bot: bot.id, message: 'How long do refunds take?' }));
    const handedOff = await json(await chat(tenant.auth, { bot: bot.id, message: 'Let me talk to a human' }));
    const list = async (query = '') => (await json(await call(`/v1/conversations${query}`, { headers: tenant.auth }))).data.map((c: { id: string }) => c.id);
    expect(await list()).toEqual([handedOff.conversation_id, answered.conversation_id]);
    expect(await list('?handoff=true')).toEqual([handedOff.conversation_id]);
    expect(await list(`?handoff=false&bot=${bot.id}`)).toEqual([answered.conversation_id]);
    expect(await list('?bot=bot_other')).toEqual([]);
    const bad = await call('/v1/conversations?limit=1000', { headers: tenant.auth });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.param).toBe('limit');

    const deleted = await call(`/v1/conversations/${answered.conversation_id}`, { method: 'DELETE', headers: tenant.auth });
    expect(await json(deleted)).toEqual({ id: answered.conversation_id, object: 'conversation', deleted: true });
    expect((await call(`/v1/conversations/${answered.conversation_id}`, { headers: tenant.auth })).status).toBe(404);
    expect(await conversationExists(env.DB, answered.conversation_id)).toBe(false);
    expect((await call(`/v1/conversations/${answered.conversation_id}`, { method: 'DELETE', headers: tenant.auth })).status).toBe(404);
  });

  it('a publishable key reads and continues only the conversations it started', async () => {
    const { tenant, bot } = await tenantWithBot();
    const issue = async () => json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'publishable', origins: ['https://shop.example'], scopes: ['chat'] } }));
    const [site, otherSite] = [await issue(), await issue()];
    const visitor = { authorization: `Bearer ${site.key}`, origin: 'https://shop.example' };
    const started = await json(await chat(visitor, { bot: bot.id, message: 'How long do refunds take?' }));
    const read = await call(`/v1/conversations/${started.conversation_id}`, { headers: visitor });
    expect(read.status).toBe(200);
    expect((await json(read)).messages).toHaveLength(2);
    expect((await chat(visitor, { bot: bot.id, conversation_id: started.conversation_id, message: 'Thanks!' })).status).toBe(200);

    const stranger = { authorization: `Bearer ${otherSite.key}`, origin: 'https://shop.example' };
    expect((await call(`/v1/conversations/${started.conversation_id}`, { headers: stranger })).status).toBe(404);
    expect((await chat(stranger, { bot: bot.id, conversation_id: started.conversation_id, message: 'Hi' })).status).toBe(404);
    // The tenant's secret key reads every conversation; the secret key's own are not readable by a publishable key.
    expect((await call(`/v1/conversations/${started.conversation_id}`, { headers: tenant.auth })).status).toBe(200);
    const mine = await json(await chat(tenant.auth, { bot: bot.id, message: 'How long do refunds take?' }));
    expect((await call(`/v1/conversations/${mine.conversation_id}`, { headers: visitor })).status).toBe(404);
    // Listing and deleting are the tenant's, not a site visitor's.
    expect((await call('/v1/conversations', { headers: visitor })).status).toBe(403);
    expect((await call(`/v1/conversations/${started.conversation_id}`, { method: 'DELETE', headers: visitor })).status).toBe(403);
  });
});
