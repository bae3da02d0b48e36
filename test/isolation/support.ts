import { call, eventually, json, type TestTenant } from '../support/api';
import { createBot, createKnowledgeBase } from '../chat/support';
import { publishableKey, type PublishableKey } from '../jamstack/support';
import { createHook, deliveries, postInbound, receiverBucket, sign, STANDARD_SECRET } from '../webhooks/support';

/** Everything a tenant can own, with ids, so another tenant can try each one. */
export interface Estate {
  tenant: TestTenant;
  site: PublishableKey;
  visitorToken: string;
  kb: string;
  doc: string;
  bot: string;
  conversation: string;
  hook: string;
  delivery: string;
  batch: string;
  /** A phrase only this tenant's documents and conversation contain, to look for in the other's answers. */
  marker: string;
}

/** A tenant with one of everything: a knowledge base and document, a bot and a conversation, a webhook with a delivery, a batch, usage. */
export async function estate(): Promise<Estate> {
  const site = await publishableKey();
  const tenant = site.tenant;
  const marker = `zebracorn${crypto.randomUUID().slice(0, 8)}`;
  const kb = await createKnowledgeBase(tenant.auth, [{ title: `Secret plan ${marker}`, text: `The ${marker} launch is on Friday; only staff know the ${marker} code.` }]);
  const bot = await createBot(tenant.auth, { knowledge_bases: [kb.id] });
  const chat = await json(await call('/v1/chat', { headers: tenant.auth, body: { bot: bot.id, message: `When is the ${marker} launch?` } }));
  const bucket = await receiverBucket();
  const hook = await createHook(tenant, { name: 'tickets', verify: { scheme: 'standard', secret: STANDARD_SECRET }, tasks: [{ task: 'sentiment', input: 'ticket.description' }], destination: { url: bucket.url } });
  const payload = JSON.stringify({ ticket: { description: `I love the ${marker} plan` } });
  const inbound = await postInbound(hook.id, payload, await sign.standard(STANDARD_SECRET, payload));
  if (inbound.status !== 202) throw new Error(`inbound failed: ${inbound.status}`);
  const [delivery] = await eventually(() => deliveries(tenant, hook.id), (rows) => rows.length > 0 && rows[0].status !== 'pending');
  const batch = await json(await call('/v1/batches', { headers: tenant.auth, body: { task: 'sentiment', items: [{ id: `${marker}-item`, input: { text: `The ${marker} launch` } }] } }));
  await eventually(async () => (await json(await call(`/v1/batches/${batch.id}`, { headers: tenant.auth }))).status, (status) => status === 'completed');
  const minted = await json(await call('/v1/visitor-token', { method: 'POST', headers: site.from() }));
  return { tenant, site, visitorToken: minted.token, kb: kb.id, doc: kb.documents[0]!, bot: bot.id, conversation: chat.conversation_id, hook: hook.id, delivery: delivery.id, batch: batch.id, marker };
}

