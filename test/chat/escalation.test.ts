import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { HANDOFF_MESSAGES } from '../../src/chat/escalation';
import { listNotifications } from '../../src/storage/notifications';
import { call, json } from '../support/api';
import { chat, tenantWithBot } from './support';

async function handoffs(tenantId: string) {
  return (await listNotifications(env.DB, tenantId)).filter((notification) => notification.type === 'conversation.handoff');
}

describe('escalation to a person', () => {
  it('a request for a person in French hands off too, without calling a model', async () => {
    const { tenant, bot } = await tenantWithBot();
    const marker = crypto.randomUUID();
    const body = await json(await chat(tenant.auth, { bot: bot.id, message: `Je veux parler à un humain, s'il vous plaît. ${marker}` }));
    expect(body.handoff).toEqual({ reason: 'requested_human', message: HANDOFF_MESSAGES.requested_human });
    expect(await env.AI_CONTROL.callsFor(marker, '@cf/meta/llama-3.2-1b-instruct')).toBe(0);
    expect((await handoffs(tenant.id)).map((notification) => notification.payload.reason)).toEqual(['requested_human']);
  });

  it('an explicit request for a person hands off, notifies the tenant (redacted) and marks the conversation', async () => {
    const { tenant, bot } = await tenantWithBot();
    const marker = crypto.randomUUID();
    const body = await json(await chat(tenant.auth, { bot: bot.id, message: `Can I talk to a real person? Mail me at jo.doe@example.com or call +44 20 7946 0958. ${marker}` }));
    expect(body.handoff).toEqual({ reason: 'requested_human', message: HANDOFF_MESSAGES.requested_human });
    expect(body.message.content).toBe(HANDOFF_MESSAGES.requested_human);
    expect(await env.AI_CONTROL.callsFor(marker, '@cf/meta/llama-3.2-1b-instruct')).toBe(0);

    const [notification, ...rest] = await handoffs(tenant.id);
    expect(rest).toEqual([]);
    expect(notification!.payload).toMatchObject({ conversation_id: body.conversation_id, bot_id: bot.id, reason: 'requested_human' });
    const lastMessage = notification!.payload.last_message as string;
    expect(lastMessage).toContain('[email]');
    expect(lastMessage).toContain('[phone]');
    expect(lastMessage).not.toContain('jo.doe@example.com');
    expect(lastMessage).not.toContain('7946');

    const conversation = await json(await call(`/v1/conversations/${body.conversation_id}`, { headers: tenant.auth }));
    expect(conversation.handoff).toMatchObject({ reason: 'requested_human' });
    // A conversation already with a person does not notify again.
    await chat(tenant.auth, { bot: bot.id, conversation_id: body.conversation_id, message: 'Hello? Is a human agent there?' });
    expect(await handoffs(tenant.id)).toHaveLength(1);
  });

  it("says the tenant's own handoff message when it has one", async () => {
    const message = 'Ein Mitarbeiter meldet sich gleich bei Ihnen.';
    const { tenant, bot } = await tenantWithBot({ escalation: { handoff_message: message } });
    const body = await json(await chat(tenant.auth, { bot: bot.id, message: 'I want to speak to a human' }));
    expect(body.handoff).toEqual({ reason: 'requested_human', message });
    expect(body.message.content).toBe(message);
    const cleared = await json(await call(`/v1/bots/${bot.id}`, { method: 'PATCH', headers: tenant.auth, body: { escalation: { handoff_message: null } } }));
    expect(cleared.escalation).toMatchObject({ handoff_message: null, on_request_for_human: true });
  });

  it('the request rule can be turned off', async () => {
    const { tenant, bot } = await tenantWithBot({ escalation: { on_request_for_human: false } });
    const body = await json(await chat(tenant.auth, { bot: bot.id, message: 'I want to speak to a human agent about refunds' }));
    expect(body.handoff).toBeUndefined();
    expect(await handoffs(tenant.id)).toEqual([]);
  });

  it('a keyword hands off', async () => {
    const { tenant, bot } = await tenantWithBot({ escalation: { keywords: ['lawyer', 'chargeback'] } });
    const body = await json(await chat(tenant.auth, { bot: bot.id, message: 'I will file a Chargeback if my refund does not come' }));
    expect(body.handoff?.reason).toBe('keyword');
    expect((await handoffs(tenant.id))[0]!.payload.reason).toBe('keyword');
    // Whole words only.
    expect((await json(await chat(tenant.auth, { bot: bot.id, message: 'Are lawyers-only refunds a thing? lawyerly' }))).handoff).toBeUndefined();
  });

  it('low retrieval confidence hands off instead of guessing', async () => {
    const { tenant, bot } = await tenantWithBot({ escalation: { min_retrieval_score: 0.95 } });
    const body = await json(await chat(tenant.auth, { bot: bot.id, message: 'Do you sell garden furniture in Norway?' }));
    expect(body.handoff).toEqual({ reason: 'low_retrieval_confidence', message: HANDOFF_MESSAGES.low_retrieval_confidence });
    expect((await handoffs(tenant.id))[0]!.payload.reason).toBe('low_retrieval_confidence');
  });

  it('a strongly negative message is answered and handed off', async () => {
    const { tenant, bot } = await tenantWithBot({ escalation: { on_negative_sentiment: true } });
    const calm = await json(await chat(tenant.auth, { bot: bot.id, message: 'How long do refunds take?' }));
    expect(calm.handoff).toBeUndefined();
    const angry = await json(await chat(tenant.auth, { bot: bot.id, message: 'This is terrible, awful, the worst service, I hate it. How long do refunds take?' }));
    expect(angry.handoff?.reason).toBe('negative_sentiment');
    expect(angry.message.content).toBe(`Refunds are paid back to the original card within 5 business days. [1]\n\n${HANDOFF_MESSAGES.negative_sentiment}`);
    expect(angry.citations).toHaveLength(1);
    expect((await handoffs(tenant.id)).map((notification) => notification.payload.reason)).toEqual(['negative_sentiment']);
  });
});
