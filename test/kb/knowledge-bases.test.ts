import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../../src/index';
import { describe, expect, it } from 'vitest';
import { usageForTenant } from '../../src/storage/usage';
import { call, createTenant, eventually, json, uniqueText, type TestTenant } from '../support/api';

const REFUNDS = `Refunds are issued within five business days after the returned item reaches our warehouse.
Items must be unused and in their original packaging. Gift cards cannot be refunded.`;
const SHIPPING = `# Shipping

Standard shipping takes three to seven days. Express shipping arrives the next business day if you order before 2 pm.

- We ship to the EU, the UK and Switzerland.
- Parcels are tracked with a link sent by email.`;
const PASSWORD = `<html><head><style>body{color:red}</style><script>alert("x")</script></head><body>
<h1>Resetting your password</h1><p>Open <b>Settings &amp; Security</b>, choose &quot;Reset password&quot; and follow the link we email you.</p>
<p>The link expires after 30 minutes.</p></body></html>`;

async function createKb(tenant: TestTenant, body: Record<string, unknown> = { name: 'Help center', embedding: 'local' }) {
  const response = await call('/v1/kb', { headers: tenant.auth, body });
  expect(response.status, JSON.stringify(await response.clone().json())).toBe(201);
  return json(response);
}

async function addDocument(tenant: TestTenant, kbId: string, body: Record<string, unknown>) {
  return call(`/v1/kb/${kbId}/documents`, { headers: tenant.auth, body });
}

async function search(tenant: TestTenant, kbId: string, body: Record<string, unknown>) {
  return call(`/v1/kb/${kbId}/search`, { headers: tenant.auth, body });
}

async function helpCenter(tenant: TestTenant, options: Record<string, unknown> = {}) {
  const kb = await createKb(tenant, { name: 'Help center', embedding: 'local', ...options });
  const ids: Record<string, string> = {};
  for (const [title, text, format, metadata] of [
    ['Refund policy', REFUNDS, 'text', { topic: 'billing' }],
    ['Shipping times', SHIPPING, 'markdown', { topic: 'delivery' }],
    ['Password reset', PASSWORD, 'html', { topic: 'account' }],
  ] as const) {
    const response = await addDocument(tenant, kb.id, { title, text, format, metadata, url: `https://help.example.com/${title.toLowerCase().replace(/ /g, '-')}` });
    expect(response.status).toBe(201);
    const added = await json(response);
    expect(added).toMatchObject({ object: 'document', status: 'ready', outcome: 'created' });
    ids[title] = added.id;
  }
  return { kb, ids };
}

describe('knowledge bases', () => {
  it('creates, lists and describes knowledge bases with their embedding model fixed', async () => {
    const tenant = await createTenant();
    const kb = await createKb(tenant);
    expect(kb).toMatchObject({ object: 'knowledge_base', name: 'Help center', store: 'd1', embedding: { provider: 'local', model: 'minnow/word-vectors-sif-100d', dimensions: 100 }, documents: 0 });
    const neural = await createKb(tenant, { name: 'Neural' });
    // Default: the tenant's current embed model (Workers AI's bge-small under the default order).
    expect(neural.embedding).toEqual({ provider: 'workers-ai', model: '@cf/baai/bge-small-en-v1.5', dimensions: 384 });
    const list = await json(await call('/v1/kb', { headers: tenant.auth }));
    expect(list.data.map((entry: { id: string }) => entry.id)).toEqual([kb.id, neural.id]);
  });

  it('ingests text, markdown and html, and answers searches with cited offsets into the cleaned text', async () => {
    const tenant = await createTenant();
    const { kb, ids } = await helpCenter(tenant);
    const body = await json(await search(tenant, kb.id, { query: 'how long until I get my money back?', top_k: 2 }));
    expect(body.results[0]).toMatchObject({ document_id: ids['Refund policy'], title: 'Refund policy', url: 'https://help.example.com/refund-policy', metadata: { topic: 'billing' } });
    expect(body.results[0].text).toContain('five business days');
    expect(body.results[0].score).toBeGreaterThan(0);
    expect(body.results[0].end - body.results[0].start).toBe(body.results[0].text.length);

    const password = await json(await search(tenant, kb.id, { query: 'reset password link', top_k: 1 }));
    expect(password.results[0].document_id).toBe(ids['Password reset']);
    // Markup, scripts and styles are gone; entities decoded.
    expect(password.results[0].text).toContain('Settings & Security');
    expect(password.results[0].text).not.toMatch(/<|alert|color:red/);

    const doc = await json(await call(`/v1/kb/${kb.id}/documents/${ids['Shipping times']}`, { headers: tenant.auth }));
    expect(doc).toMatchObject({ status: 'ready', format: 'markdown', chunks: 1 });
    const counts = await json(await call(`/v1/kb/${kb.id}`, { headers: tenant.auth }));
    expect(counts).toMatchObject({ documents: 3, chunks: 3 });
  });

  it('searches by keyword, by vector, and filters on metadata', async () => {
    const tenant = await createTenant();
    const { kb, ids } = await helpCenter(tenant);
    const keyword = await json(await search(tenant, kb.id, { query: 'Switzerland', mode: 'keyword' }));
    expect(keyword.results.map((result: { document_id: string }) => result.document_id)).toEqual([ids['Shipping times']]);
    expect(keyword.results[0].similarity).toBeNull();
    const vector = await json(await search(tenant, kb.id, { query: 'parcel delivery days', mode: 'vector', top_k: 3 }));
    expect(vector.results).toHaveLength(3);
    expect(vector.results[0].similarity).toBeGreaterThan(vector.results[2].similarity);
    const filtered = await json(await search(tenant, kb.id, { query: 'refund shipping password', filter: { topic: 'account' } }));
    expect(filtered.results.map((result: { document_id: string }) => result.document_id)).toEqual([ids['Password reset']]);
    // FTS5 syntax in a question is just words.
    const odd = await search(tenant, kb.id, { query: 'refund" NEAR(ship* OR) title:password -- )(' });
    expect(odd.status).toBe(200);
    expect((await json(odd)).results.length).toBeGreaterThan(0);
  });

  it('replaces a changed document, skips an unchanged one, and deletes', async () => {
    const tenant = await createTenant();
    const { kb, ids } = await helpCenter(tenant);
    const same = await addDocument(tenant, kb.id, { title: 'Refund policy', text: REFUNDS, url: 'https://help.example.com/refund-policy' });
    expect(same.status).toBe(200);
    expect(await json(same)).toMatchObject({ id: ids['Refund policy'], outcome: 'unchanged', status: 'ready' });

    const changed = await addDocument(tenant, kb.id, { title: 'Refund policy', text: 'Refunds now take ten business days; store credit is instant.', url: 'https://help.example.com/refund-policy' });
    expect(changed.status).toBe(201);
    expect(await json(changed)).toMatchObject({ id: ids['Refund policy'], outcome: 'replaced', status: 'ready' });
    const after = await json(await search(tenant, kb.id, { query: 'refunds business days', mode: 'keyword' }));
    expect(after.results[0].text).toBe('Refunds now take ten business days; store credit is instant.');
    expect(after.results.some((result: { text: string }) => result.text.includes('five business days'))).toBe(false);

    const removed = await call(`/v1/kb/${kb.id}/documents/${ids['Refund policy']}`, { method: 'DELETE', headers: tenant.auth });
    expect(await json(removed)).toEqual({ id: ids['Refund policy'], object: 'document', deleted: true });
    const gone = await json(await search(tenant, kb.id, { query: 'refund', mode: 'keyword' }));
    expect(gone.results).toEqual([]);
    expect((await call(`/v1/kb/${kb.id}/documents/${ids['Refund policy']}`, { headers: tenant.auth })).status).toBe(404);
    const list = await json(await call(`/v1/kb/${kb.id}/documents?limit=1`, { headers: tenant.auth }));
    expect(list).toMatchObject({ has_more: true, data: [{ object: 'document' }] });
    const next = await json(await call(`/v1/kb/${kb.id}/documents?limit=1&cursor=${list.next_cursor}`, { headers: tenant.auth }));
    expect(next).toMatchObject({ has_more: false, next_cursor: null });
  });

  it('processes a large document on the queue, with its status visible until it is searchable', async () => {
    const tenant = await createTenant();
    const kb = await createKb(tenant);
    const sections = Array.from({ length: 150 }, (_, i) => `Section ${i}. The warranty for model X${i} covers the battery for ${i + 1} months. Claims need the receipt and the serial number printed under the device.`);
    const response = await addDocument(tenant, kb.id, { title: 'Warranty handbook', text: sections.join('\n\n') });
    expect(response.status).toBe(202);
    const added = await json(response);
    expect(added).toMatchObject({ status: 'processing', outcome: 'created' });
    expect(added.chunks).toBeGreaterThan(20);
    const ready = await eventually(
      async () => json(await call(`/v1/kb/${kb.id}/documents/${added.id}`, { headers: tenant.auth })),
      (doc) => doc.status !== 'processing',
    );
    expect(ready).toMatchObject({ status: 'ready', chunks: added.chunks });
    const body = await json(await search(tenant, kb.id, { query: 'X137 battery warranty', mode: 'keyword', top_k: 1 }));
    expect(body.results[0].text).toContain('model X137');
  });

  it('marks a queued document failed when the budget is spent by the time it is processed', async () => {
    const tenant = await createTenant({ limits: { daily_budget_usd: 0.000001 } });
    const kb = await createKb(tenant, { name: 'Neural', embedding: '@cf/baai/bge-small-en-v1.5' });
    const text = Array.from({ length: 150 }, (_, i) => `Paragraph ${i} of a long manual ${crypto.randomUUID()}.`).join('\n\n');
    // The upload itself costs nothing (embedding happens on the queue), so it is accepted.
    const response = await addDocument(tenant, kb.id, { title: 'Manual', text });
    expect(response.status).toBe(202);
    const { id } = await json(response);
    const doc = await eventually(
      async () => json(await call(`/v1/kb/${kb.id}/documents/${id}`, { headers: tenant.auth })),
      (current) => current.status !== 'processing',
    );
    expect(doc).toMatchObject({ status: 'failed', error: expect.stringContaining('budget_exhausted') });
  });

  it('keeps vectors in Vectorize when asked, in the tenant namespace, and removes them on delete', async () => {
    const tenant = await createTenant();
    const { kb, ids } = await helpCenter(tenant, { store: 'vectorize' });
    expect(kb.store).toBe('vectorize');
    expect(await env.VECTORS_CONTROL.countInNamespace(tenant.id)).toBe(3);
    const body = await json(await search(tenant, kb.id, { query: 'how long until I get my money back?', mode: 'vector', top_k: 1 }));
    expect(body.results[0].document_id).toBe(ids['Refund policy']);
    await call(`/v1/kb/${kb.id}`, { method: 'DELETE', headers: tenant.auth });
    expect(await env.VECTORS_CONTROL.countInNamespace(tenant.id)).toBe(0);
  });

  it("never lets one tenant reach another's knowledge bases or passages", async () => {
    const alice = await createTenant();
    const bob = await createTenant();
    const { kb, ids } = await helpCenter(alice);
    const bobKb = await createKb(bob, { name: 'Bob', embedding: 'local' });
    await addDocument(bob, bobKb.id, { title: 'Bob notes', text: 'Bob ships only to Norway.' });
    for (const [method, path, body] of [
      ['GET', `/v1/kb/${kb.id}`, undefined],
      ['GET', `/v1/kb/${kb.id}/documents`, undefined],
      ['GET', `/v1/kb/${kb.id}/documents/${ids['Refund policy']}`, undefined],
      ['POST', `/v1/kb/${kb.id}/search`, { query: 'refund' }],
      ['POST', `/v1/kb/${kb.id}/documents`, { title: 'x', text: 'y' }],
      ['DELETE', `/v1/kb/${kb.id}/documents/${ids['Refund policy']}`, undefined],
      ['DELETE', `/v1/kb/${kb.id}`, undefined],
    ] as const) {
      const response = await call(path, { method, headers: bob.auth, ...(body ? { body } : {}) });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    // Bob's own searches see only Bob's passages, whatever the query.
    for (const mode of ['hybrid', 'vector', 'keyword']) {
      const results = (await json(await search(bob, bobKb.id, { query: 'refund shipping password Norway', mode, top_k: 50 }))).results;
      expect(results.every((result: { title: string }) => result.title === 'Bob notes'), mode).toBe(true);
    }
    // Alice's documents are intact.
    expect((await json(await search(alice, kb.id, { query: 'refund', mode: 'keyword' }))).results).toHaveLength(1);
  });

  it('refuses bad input with the field, and management from publishable or scoped keys', async () => {
    const tenant = await createTenant();
    const kb = await createKb(tenant);
    const cases: [string, Record<string, unknown>, string][] = [
      ['/v1/kb', { name: 'x', embedding: 'gpt-4' }, 'embedding'],
      ['/v1/kb', { name: '' }, 'name'],
      [`/v1/kb/${kb.id}/documents`, { text: 'no title' }, 'title'],
      [`/v1/kb/${kb.id}/documents`, { title: 't', text: 'x', format: 'pdf' }, 'format'],
      [`/v1/kb/${kb.id}/documents`, { title: 't', text: '<p></p>', format: 'html' }, 'text'],
      [`/v1/kb/${kb.id}/documents`, { title: 't', text: 'x', metadata: { 'bad key!': 1 } }, 'metadata.bad key!'],
      [`/v1/kb/${kb.id}/documents`, { title: 't', text: 'x', url: 'javascript:alert(1)' }, 'url'],
      [`/v1/kb/${kb.id}/documents`, { title: 't', text: 'x', extra: true }, 'extra'],
      [`/v1/kb/${kb.id}/search`, { query: 'x', top_k: 0 }, 'top_k'],
      [`/v1/kb/${kb.id}/search`, { query: '   ' }, 'query'],
      [`/v1/kb/${kb.id}/search`, { query: 'x', mode: 'fuzzy' }, 'mode'],
    ];
    for (const [path, body, param] of cases) {
      const response = await call(path, { headers: tenant.auth, body });
      const error = (await json(response)).error;
      expect([response.status, error.param], JSON.stringify(body)).toEqual([400, param]);
    }
    const scoped = await createTenant({ scopes: ['search'] });
    const refused = await call('/v1/kb', { headers: scoped.auth, body: { name: 'x' } });
    expect(refused.status).toBe(403);
    expect((await json(refused)).error.code).toBe('scope_not_allowed');
  });

  it('meters the embedding of chunks and queries, and a failed embedding marks the document failed', async () => {
    const tenant = await createTenant();
    const kb = await createKb(tenant, { name: 'Neural', embedding: '@cf/baai/bge-small-en-v1.5' });
    const ok = await addDocument(tenant, kb.id, { title: 'Hours', text: uniqueText('We are open from nine to five.') });
    expect(ok.status).toBe(201);
    await search(tenant, kb.id, { query: 'opening hours' });
    const events = await eventually(() => usageForTenant(env.DB, tenant.id), (rows) => rows.length >= 2);
    expect(events.map((event) => [event.request_id.split(':').pop(), event.task, event.model])).toEqual(
      expect.arrayContaining([
        ['embed-chunks', 'embed', '@cf/baai/bge-small-en-v1.5'],
        ['embed-query', 'embed', '@cf/baai/bge-small-en-v1.5'],
      ]),
    );

    // The knowledge base's model is pinned: no fallback to another vector space.
    const failed = await addDocument(tenant, kb.id, { title: 'Broken', text: uniqueText('capacity [[ai:3040]]') });
    expect(failed.status).toBe(503);
    const docs = await json(await call(`/v1/kb/${kb.id}/documents`, { headers: tenant.auth }));
    expect(docs.data.find((doc: { title: string }) => doc.title === 'Broken')).toMatchObject({ status: 'failed', error: expect.stringContaining('') });
  });
});

describe('a knowledge base on an embedding model this deployment cannot run', () => {
  it('is refused when created (400 embedding_unavailable, param embedding), not accepted to fail every upload and search with 503', async () => {
    const tenant = await createTenant();
    // The same Worker, as a deployment without Workers AI credentials runs it (npm start: WORKERS_AI=off).
    const withoutWorkersAi = { ...env, WORKERS_AI: 'off' };
    const create = async (embedding: string) => {
      const ctx = createExecutionContext();
      const request = new Request('https://minnow.test/v1/kb', { method: 'POST', headers: { ...tenant.auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Help', embedding }) });
      const response = await worker.fetch(request, withoutWorkersAi as never, ctx);
      await waitOnExecutionContext(ctx);
      return response;
    };
    const refused = await create('@cf/baai/bge-small-en-v1.5');
    const body = await json(refused);
    expect(refused.status).toBe(400);
    expect(body.error).toMatchObject({ code: 'embedding_unavailable', param: 'embedding' });
    expect(body.error.message).toContain('workers-ai');
    expect((await json(await call('/v1/kb', { headers: tenant.auth }))).data).toEqual([]);
    // The local model and Hugging Face's (HF_TOKEN is set) still run there.
    expect((await create('local')).status).toBe(201);
    expect((await create('BAAI/bge-small-en-v1.5')).status).toBe(201);
  });
});
