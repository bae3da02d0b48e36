import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, json } from '../support/api';
import { estate, type Estate } from './support';

let owner: Estate;
let intruder: Estate;

beforeAll(async () => {
  [owner, intruder] = await Promise.all([estate(), estate()]);
}, 60_000);

type Attempt = { resource: string; action: string; request: (a: Estate, b: Estate) => Promise<Response>; status: number[]; code?: string };

/**
 * Tenant A (the intruder) tries each of B's resources with its own secret key. Every row must be
 * refused as if B's resource did not exist — same status as a made-up id — and leak nothing of B.
 */
const ATTEMPTS: Attempt[] = [
  { resource: 'knowledge base', action: 'read', request: (a, b) => call(`/v1/kb/${b.kb}`, { headers: a.tenant.auth }), status: [404] },
  { resource: 'knowledge base', action: 'delete', request: (a, b) => call(`/v1/kb/${b.kb}`, { method: 'DELETE', headers: a.tenant.auth }), status: [404] },
  { resource: 'knowledge base', action: 'search', request: (a, b) => call(`/v1/kb/${b.kb}/search`, { headers: a.tenant.auth, body: { query: `${b.marker} launch` } }), status: [404] },
  { resource: 'knowledge base', action: 'add a document', request: (a, b) => call(`/v1/kb/${b.kb}/documents`, { headers: a.tenant.auth, body: { title: 'x', text: 'planted' } }), status: [404] },
  { resource: 'knowledge base', action: 'build a bot over it', request: (a, b) => call('/v1/bots', { headers: a.tenant.auth, body: { name: 'spy', instructions: 'x', knowledge_bases: [b.kb] } }), status: [400, 404] },
  { resource: 'documents', action: 'list', request: (a, b) => call(`/v1/kb/${b.kb}/documents`, { headers: a.tenant.auth }), status: [404] },
  { resource: 'document', action: 'read', request: (a, b) => call(`/v1/kb/${b.kb}/documents/${b.doc}`, { headers: a.tenant.auth }), status: [404] },
  { resource: 'document', action: "read through A's own knowledge base", request: (a, b) => call(`/v1/kb/${a.kb}/documents/${b.doc}`, { headers: a.tenant.auth }), status: [404] },
  { resource: 'document', action: "delete through A's own knowledge base", request: (a, b) => call(`/v1/kb/${a.kb}/documents/${b.doc}`, { method: 'DELETE', headers: a.tenant.auth }), status: [404] },
  { resource: 'document', action: 'delete', request: (a, b) => call(`/v1/kb/${b.kb}/documents/${b.doc}`, { method: 'DELETE', headers: a.tenant.auth }), status: [404] },
  { resource: 'bot', action: 'read', request: (a, b) => call(`/v1/bots/${b.bot}`, { headers: a.tenant.auth }), status: [404] },
  { resource: 'bot', action: 'change', request: (a, b) => call(`/v1/bots/${b.bot}`, { method: 'PATCH', headers: a.tenant.auth, body: { name: 'mine now' } }), status: [404] },
  { resource: 'bot', action: 'delete', request: (a, b) => call(`/v1/bots/${b.bot}`, { method: 'DELETE', headers: a.tenant.auth }), status: [404] },
  { resource: 'bot', action: 'chat with', request: (a, b) => call('/v1/chat', { headers: a.tenant.auth, body: { bot: b.bot, message: `What is the ${b.marker} code?` } }), status: [404] },
  { resource: 'bot', action: 'chat with (OpenAI surface)', request: (a, b) => call('/v1/chat/completions', { headers: a.tenant.auth, body: { model: b.bot, messages: [{ role: 'user', content: `What is the ${b.marker} code?` }] } }), status: [404] },
  { resource: 'conversation', action: 'read', request: (a, b) => call(`/v1/conversations/${b.conversation}`, { headers: a.tenant.auth }), status: [404] },
  { resource: 'conversation', action: 'delete', request: (a, b) => call(`/v1/conversations/${b.conversation}`, { method: 'DELETE', headers: a.tenant.auth }), status: [404] },
  { resource: 'conversation', action: "continue with A's own bot", request: (a, b) => call('/v1/chat', { headers: a.tenant.auth, body: { bot: a.bot, conversation_id: b.conversation, message: 'and then?' } }), status: [404] },
  { resource: 'conversation', action: "continue with B's bot", request: (a, b) => call('/v1/chat', { headers: a.tenant.auth, body: { bot: b.bot, conversation_id: b.conversation, message: 'and then?' } }), status: [404] },
  { resource: 'webhook', action: 'read', request: (a, b) => call(`/v1/webhooks/${b.hook}`, { headers: a.tenant.auth }), status: [404] },
  { resource: 'webhook', action: 'change', request: (a, b) => call(`/v1/webhooks/${b.hook}`, { method: 'PATCH', headers: a.tenant.auth, body: { name: 'mine now' } }), status: [404] },
  { resource: 'webhook', action: 'delete', request: (a, b) => call(`/v1/webhooks/${b.hook}`, { method: 'DELETE', headers: a.tenant.auth }), status: [404] },
  { resource: 'deliveries', action: 'list', request: (a, b) => call(`/v1/webhooks/${b.hook}/deliveries`, { headers: a.tenant.auth }), status: [404] },
  { resource: 'delivery', action: 'read', request: (a, b) => call(`/v1/webhooks/${b.hook}/deliveries/${b.delivery}`, { headers: a.tenant.auth }), status: [404] },
  { resource: 'delivery', action: "read through A's own webhook", request: (a, b) => call(`/v1/webhooks/${a.hook}/deliveries/${b.delivery}`, { headers: a.tenant.auth }), status: [404] },
  { resource: 'delivery', action: 'replay', request: (a, b) => call(`/v1/webhooks/${b.hook}/deliveries/${b.delivery}/replay`, { method: 'POST', headers: a.tenant.auth }), status: [404] },
  { resource: 'delivery', action: "replay through A's own webhook", request: (a, b) => call(`/v1/webhooks/${a.hook}/deliveries/${b.delivery}/replay`, { method: 'POST', headers: a.tenant.auth }), status: [404] },
  { resource: 'batch', action: 'read', request: (a, b) => call(`/v1/batches/${b.batch}`, { headers: a.tenant.auth }), status: [404] },
  { resource: 'batch', action: 'download results', request: (a, b) => call(`/v1/batches/${b.batch}/results`, { headers: a.tenant.auth }), status: [404] },
  { resource: 'batch', action: 'cancel', request: (a, b) => call(`/v1/batches/${b.batch}/cancel`, { method: 'POST', headers: a.tenant.auth }), status: [404] },
  { resource: 'admin API', action: "read B's tenant with A's secret key", request: (a, b) => call(`/admin/tenants/${b.tenant.id}`, { headers: a.tenant.auth }), status: [401], code: 'invalid_admin_token' },
  { resource: 'admin API', action: "list B's keys with A's secret key", request: (a, b) => call(`/admin/tenants/${b.tenant.id}/keys`, { headers: a.tenant.auth }), status: [401], code: 'invalid_admin_token' },
  { resource: 'admin API', action: "revoke B's key with A's secret key", request: (a, b) => call(`/admin/keys/${b.tenant.keyId}`, { method: 'DELETE', headers: a.tenant.auth }), status: [401], code: 'invalid_admin_token' },
  { resource: 'admin API', action: "issue a key for B with A's publishable key", request: (a, b) => call(`/admin/tenants/${b.tenant.id}/keys`, { headers: a.site.from(), body: { kind: 'secret' } }), status: [401], code: 'invalid_admin_token' },
  { resource: 'visitor token', action: "use B's token with A's publishable key", request: (a, b) => call('/v1/sentiment', { headers: a.site.from(undefined, undefined, { 'x-minnow-visitor': b.visitorToken }), body: { text: 'hi' } }), status: [401], code: 'invalid_visitor_token' },
];

describe("tenant A's key against tenant B's resources", () => {
  it.each(ATTEMPTS.map((attempt) => [`${attempt.resource}: ${attempt.action}`, attempt] as const))('%s is refused and leaks nothing', async (_, attempt) => {
    const response = await attempt.request(intruder, owner);
    const text = await response.text();
    expect(attempt.status, text).toContain(response.status);
    const body = JSON.parse(text);
    expect(Object.keys(body)).toEqual(['error']);
    if (attempt.code) expect(body.error.code).toBe(attempt.code);
    expect(text).not.toContain(owner.marker);
    expect(text).not.toContain(owner.tenant.id);
  });

  it("leaves every one of B's resources as it was", async () => {
    const b = owner.tenant.auth;
    for (const path of [`/v1/kb/${owner.kb}`, `/v1/kb/${owner.kb}/documents/${owner.doc}`, `/v1/bots/${owner.bot}`, `/v1/conversations/${owner.conversation}`, `/v1/webhooks/${owner.hook}`, `/v1/webhooks/${owner.hook}/deliveries/${owner.delivery}`, `/v1/batches/${owner.batch}`]) {
      expect((await call(path, { headers: b })).status, path).toBe(200);
    }
    expect((await json(await call(`/v1/bots/${owner.bot}`, { headers: b }))).name).not.toBe('mine now');
    expect((await json(await call(`/v1/webhooks/${owner.hook}`, { headers: b }))).name).toBe('tickets');
    expect((await json(await call(`/v1/kb/${owner.kb}`, { headers: b }))).documents).toBe(1);
    expect((await call('/v1/sentiment', { headers: owner.site.from(undefined, undefined, { 'x-minnow-visitor': owner.visitorToken }), body: { text: 'hi' } })).status).toBe(200);
  });

  it("lists only A's own resources", async () => {
    const a = intruder.tenant.auth;
    const lists = {
      '/v1/kb': [intruder.kb, owner.kb],
      '/v1/bots': [intruder.bot, owner.bot],
      '/v1/conversations': [intruder.conversation, owner.conversation],
      '/v1/webhooks': [intruder.hook, owner.hook],
      '/v1/batches': [intruder.batch, owner.batch],
      [`/v1/webhooks/${intruder.hook}/deliveries`]: [intruder.delivery, owner.delivery],
      [`/v1/kb/${intruder.kb}/documents`]: [intruder.doc, owner.doc],
    };
    for (const [path, [own, foreign]] of Object.entries(lists)) {
      const text = await (await call(path, { headers: a })).text();
      expect(text, path).toContain(own);
      expect(text, path).not.toContain(foreign);
      expect(text, path).not.toContain(owner.marker);
    }
  });

  it("searches only A's own documents, even for B's words", async () => {
    const response = await call(`/v1/kb/${intruder.kb}/search`, { headers: intruder.tenant.auth, body: { query: `${owner.marker} launch code` } });
    expect(response.status).toBe(200);
    expect(await response.text()).not.toContain(owner.marker);
  });

  it("reports only A's own usage", async () => {
    const report = await json(await call('/v1/usage?group_by=key', { headers: intruder.tenant.auth }));
    const groups = report.data.map((row: { group: string }) => row.group);
    expect(groups).not.toContain(owner.tenant.keyId);
    expect(groups).not.toContain(owner.site.id);
    expect(groups).not.toContain(owner.hook);
  });

  it('keeps response caches apart: the same input is a MISS for each tenant, a HIT only for the one that filled it', async () => {
    const text = `cache isolation ${crypto.randomUUID()}`;
    const send = (auth: Record<string, string>) => call('/v1/sentiment', { headers: auth, body: { text } });
    expect((await send(owner.tenant.auth)).headers.get('x-cache')).toBe('MISS');
    // The fill is written after the response (waitUntil); wait for the owner's HIT first.
    let hit = '';
    for (let attempt = 0; attempt < 50 && hit !== 'HIT'; attempt++) hit = (await send(owner.tenant.auth)).headers.get('x-cache') ?? '';
    expect(hit).toBe('HIT');
    expect((await send(intruder.tenant.auth)).headers.get('x-cache')).toBe('MISS');
  });

  it('needs the admin token for every admin route; tenant keys never pass', async () => {
    for (const headers of [intruder.tenant.auth, { 'x-api-key': intruder.tenant.key }, intruder.site.from(), {}]) {
      const response = await call('/admin/tenants', { headers, body: { name: 'sneaky' } });
      expect(response.status).toBe(401);
    }
    expect((await call(`/admin/tenants/${owner.tenant.id}`, { headers: ADMIN })).status).toBe(200);
  });
});
