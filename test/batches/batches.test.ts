import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ADMIN, call, createTenant, eventually, json, uniqueText } from '../support/api';
import { guardFor } from '../../src/durable-objects/tenant-guard/client';
import { estimateCost } from '../../src/pipeline/run-task';
import { putTaskConfig } from '../../src/storage/tenant-tasks';
import { TASKS } from '../../src/tasks/registry';
import { createHook, receiverBucket } from '../webhooks/support';
import { createBatch, getBatch, results, settled } from './support';

describe('batches', () => {
  it('runs a 250-item sentiment batch to the end: results in item order, cost summed per batch', async () => {
    const tenant = await createTenant();
    const texts = Array.from({ length: 250 }, (_, i) => uniqueText(i % 2 === 0 ? 'I love this product' : 'This broke after a day'));
    const created = await createBatch(tenant, { task: 'sentiment', items: texts.map((text, i) => ({ id: `review-${i}`, input: { text } })) });
    expect(created).toMatchObject({ id: expect.stringMatching(/^batch_/), object: 'batch', task: 'sentiment', status: 'queued', counts: { total: 250, completed: 0, failed: 0 } });

    const done = await settled(tenant, created.id, 60);
    expect(done).toMatchObject({ status: 'completed', counts: { total: 250, completed: 250, succeeded: 250, failed: 0, cancelled: 0 }, finished_at: expect.any(String) });
    const { response, lines } = await results(tenant, created.id);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    expect(response.headers.get('x-batch-results-complete')).toBe('true');
    expect(lines.map((line) => line.index)).toEqual(texts.map((_, i) => i));
    expect(lines.map((line) => line.id)).toEqual(texts.map((_, i) => `review-${i}`));
    for (const line of lines) expect(line).toMatchObject({ status: 'succeeded', result: { task: 'sentiment', results: [{ label: expect.any(String), score: expect.any(Number) }] } });
    // The same pipeline as the route: the route answers an item's text from the cache the batch filled, with the same result.
    const routeAnswer = await eventually(() => call('/v1/sentiment', { headers: tenant.auth, body: { text: texts[1] } }), (response) => response.headers.get('x-cache') === 'HIT');
    expect(routeAnswer.headers.get('x-cache')).toBe('HIT');
    expect((await json(routeAnswer)).results).toEqual(lines[1].result.results);
    const itemCost = lines.reduce((sum, line) => sum + line.result.usage.cost_usd, 0);
    expect(itemCost).toBeGreaterThan(0);
    expect(done.usage.cost_usd).toBeCloseTo(itemCost, 12);
    expect(done.usage.items).toBe(250);

    // Each item is metered like a request to the route: one usage event, to the key that created the batch.
    const metered = await eventually(
      () => env.DB.prepare("SELECT COUNT(*) AS n, SUM(cost_usd) AS cost, COUNT(DISTINCT key_id) AS keys, MIN(key_id) AS key FROM usage_events WHERE request_id LIKE ?").bind(`${created.id}.%`).first<any>(),
      (row) => row.n === 250,
    );
    expect(metered).toMatchObject({ n: 250, keys: 1, key: tenant.keyId });
    expect(metered.cost).toBeCloseTo(itemCost, 12);

    // A cursor resumes after the last index read.
    const rest = await results(tenant, created.id, 247);
    expect(rest.lines.map((line) => line.index)).toEqual([248, 249]);
  }, 90_000);

  it("sums its items' own usage: items holding several texts count each text, as cached_items and units do", async () => {
    const tenant = await createTenant();
    const shared = uniqueText('The fit is great');
    const items = [
      { input: { text: [uniqueText('I love this product'), shared] } },
      { input: { text: uniqueText('This broke after a day') } },
      { input: { text: [shared, uniqueText('Arrived late'), uniqueText('Works fine')] } },
    ];
    const created = await createBatch(tenant, { task: 'sentiment', items });
    const done = await settled(tenant, created.id, 30);
    const { lines } = await results(tenant, created.id);
    const summed = (field: string) => lines.reduce((sum, line) => sum + line.result.usage[field], 0);
    expect(summed('items')).toBe(6);
    expect(done.usage).toMatchObject({ items: summed('items'), cached_items: summed('cached_items'), units: summed('units') });
    expect(done.usage.cached_items).toBeLessThanOrEqual(done.usage.items);
  }, 60_000);

  it('refuses a batch with one invalid item whole, naming the item and field', async () => {
    const tenant = await createTenant();
    const items = [{ input: { text: 'fine' } }, { input: { text: 'fine too' } }, { input: { text: 'ok' } }, { input: { text: '' } }];
    const response = await call('/v1/batches', { headers: tenant.auth, body: { task: 'sentiment', items } });
    expect(response.status).toBe(400);
    const { error } = await json(response);
    expect(error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_field', param: 'items.3.input.text', message: expect.stringContaining('Item 3') });
    // The same for the bare form, an unknown field, and a field the shared options already set.
    const bare = await json(await call('/v1/batches', { headers: tenant.auth, body: { task: 'sentiment', inputs: [{ text: 'a' }, { text: 'b', txt: 'c' }] } }));
    expect(bare.error).toMatchObject({ code: 'unknown_field', param: 'inputs.1.txt' });
    const clash = await json(await call('/v1/batches', { headers: tenant.auth, body: { task: 'classify', options: { labels: ['a', 'b'] }, items: [{ input: { text: 'x', labels: ['c', 'd'] } }] } }));
    expect(clash.error).toMatchObject({ code: 'conflicting_field', param: 'items.0.input.labels' });
    const badId = await json(await call('/v1/batches', { headers: tenant.auth, body: { task: 'sentiment', items: [{ input: { text: 'a' } }, { id: 'x'.repeat(129), input: { text: 'b' } }] } }));
    expect(badId.error).toMatchObject({ code: 'invalid_field', param: 'items.1.id' });
    const duplicate = await json(await call('/v1/batches', { headers: tenant.auth, body: { task: 'sentiment', items: [{ id: 'a', input: { text: 'a' } }, { id: 'a', input: { text: 'b' } }] } }));
    expect(duplicate.error).toMatchObject({ code: 'duplicate_id', param: 'items.1.id', message: 'items.1.id repeats the id of items.0; ids must be unique within a batch' });
    const outerShape = await json(await call('/v1/batches', { headers: tenant.auth, body: { task: 'sentiment', items: [{ input: { text: 'a' } }, { input: { text: 'b' }, extra: 1 }] } }));
    expect(outerShape.error).toMatchObject({ code: 'unknown_field', param: 'items.1.extra' });
    // A bare array is the items without the batch around them: said so, naming items.
    for (const bare of [[], [{ text: 'a' }]]) {
      const array = await call('/v1/batches', { headers: tenant.auth, body: bare });
      expect(array.status).toBe(400);
      expect((await json(array)).error).toMatchObject({ code: 'invalid_field', param: 'items', message: expect.stringContaining('The body is a JSON array; a batch is an object') });
    }
    expect((await json(await call('/v1/batches', { headers: tenant.auth, body: { task: 'sentiment', items: [] } }))).error).toMatchObject({ code: 'invalid_field', param: 'items' });
    const unknownTask = await call('/v1/batches', { headers: tenant.auth, body: { task: 'horoscope', items: [{ input: { text: 'x' } }] } });
    expect(unknownTask.status).toBe(400);
    expect((await json(unknownTask)).error).toMatchObject({ code: 'unknown_task', param: 'task' });
    // Nothing was kept.
    expect((await json(await call('/v1/batches', { headers: tenant.auth }))).data).toEqual([]);
  });

  it('refuses to create a batch while the budget is spent', async () => {
    const tenant = await createTenant({ limits: { daily_budget_usd: 0 } });
    const response = await call('/v1/batches', { headers: tenant.auth, body: { task: 'sentiment', inputs: [{ text: 'hi' }] } });
    expect(response.status).toBe(402);
    expect((await json(response)).error).toMatchObject({ type: 'budget_error', code: 'budget_exhausted' });
    expect((await json(await call('/v1/batches', { headers: tenant.auth }))).data).toEqual([]);
  });

  it('refuses a batch no provider can run with the 503 a single request gets, and keeps nothing', async () => {
    const tenant = await createTenant();
    // As in test/tasks/translate.test.ts: a configuration naming only a provider translate does not
    // run on (stored by hand, or before the task lost it) leaves no provider, as `npm start` without
    // credentials does for every tenant.
    await putTaskConfig(env.DB, tenant.id, 'translate', { providers: ['local'] });
    await guardFor(env, tenant.id).configure(tenant.id);
    const single = await call('/v1/translate', { headers: tenant.auth, body: { text: 'Good morning', target: 'es' } });
    const singleError = (await json(single)).error;
    expect([single.status, singleError.code]).toEqual([503, 'no_provider_available']);

    const batch = await call('/v1/batches', { headers: tenant.auth, body: { task: 'translate', options: { target: 'es' }, inputs: [{ text: 'Good morning' }, { text: 'Good night' }] } });
    expect(batch.status).toBe(503);
    expect(batch.headers.get('x-should-retry')).toBe('false');
    const error = (await json(batch)).error;
    expect(error).toMatchObject({ type: 'upstream_error', code: 'no_provider_available', message: singleError.message });
    expect(error.message).toContain('the task runs on: workers-ai, huggingface');
    expect((await json(await call('/v1/batches', { headers: tenant.auth }))).data).toEqual([]);
    // Another task of the same tenant still runs in a batch.
    expect((await createBatch(tenant, { task: 'sentiment', inputs: [{ text: uniqueText() }] })).status).toBe('queued');
  });

  it('refuses 10,001 items, and a body over the byte limit, naming the limit', async () => {
    const tenant = await createTenant();
    const tooMany = await call('/v1/batches', { headers: tenant.auth, body: { task: 'sentiment', inputs: Array.from({ length: 10_001 }, () => ({ text: 'x' })) } });
    expect(tooMany.status).toBe(400);
    expect((await json(tooMany)).error).toMatchObject({ code: 'too_many_items', param: 'inputs', message: expect.stringContaining('10000') });
    const huge = 'y'.repeat(19_000);
    const tooBig = await call('/v1/batches', { headers: tenant.auth, body: { task: 'sentiment', inputs: Array.from({ length: 560 }, () => ({ text: huge })) } });
    expect(tooBig.status).toBe(413);
    expect((await json(tooBig)).error).toMatchObject({ code: 'body_too_large', message: expect.stringContaining(String(10 * 1024 * 1024)) });
  });

  it("answers 404 for another tenant's batch, on every route", async () => {
    const owner = await createTenant();
    const other = await createTenant();
    const created = await createBatch(owner, { task: 'sentiment', inputs: [{ text: uniqueText() }] });
    for (const [path, method] of [[`/v1/batches/${created.id}`, 'GET'], [`/v1/batches/${created.id}/results`, 'GET'], [`/v1/batches/${created.id}/cancel`, 'POST']] as const) {
      const response = await call(path, { method, headers: other.auth });
      expect(response.status).toBe(404);
      expect((await json(response)).error).toMatchObject({ code: 'batch_not_found' });
    }
    expect((await json(await call('/v1/batches', { headers: other.auth }))).data).toEqual([]);
    expect((await settled(owner, created.id)).status).toBe('completed');
  });

  it('refuses publishable keys, and keys not allowed to run the task', async () => {
    const tenant = await createTenant();
    const issued = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'publishable', origins: ['https://shop.example'] } }));
    const publishable = await call('/v1/batches', { headers: { authorization: `Bearer ${issued.key}`, origin: 'https://shop.example' }, body: { task: 'sentiment', inputs: [{ text: 'hi' }] } });
    expect(publishable.status).toBe(403);
    expect((await json(publishable)).error).toMatchObject({ code: 'secret_key_required' });
    const scoped = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'secret', scopes: ['language'] } }));
    const refused = await call('/v1/batches', { headers: { authorization: `Bearer ${scoped.key}` }, body: { task: 'sentiment', inputs: [{ text: 'hi' }] } });
    expect(refused.status).toBe(403);
    expect((await json(refused)).error).toMatchObject({ code: 'scope_not_allowed' });
  });

  it('cancel stops further chunks; the results end with a cancelled line per item that did not run', async () => {
    const tenant = await createTenant();
    const created = await createBatch(tenant, { task: 'sentiment', inputs: Array.from({ length: 1_000 }, () => ({ text: uniqueText('Fine, I guess') })) });
    await eventually(() => getBatch(tenant, created.id), (batch) => batch.counts.completed >= 50, 300);
    // Cancel takes no body: a field sent is refused, not dropped, and the batch runs on.
    const withBody = await call(`/v1/batches/${created.id}/cancel`, { method: 'POST', headers: tenant.auth, body: { reason: 'changed my mind' } });
    expect([withBody.status, (await json(withBody)).error]).toEqual([400, expect.objectContaining({ code: 'unknown_field', param: 'reason', message: expect.stringContaining('POST /v1/batches/{id}/cancel takes no body') })]);
    expect((await getBatch(tenant, created.id)).status).not.toMatch(/^cancel/);
    const cancel = await call(`/v1/batches/${created.id}/cancel`, { method: 'POST', headers: tenant.auth, body: {} });
    expect(cancel.status).toBe(200);
    expect(['cancelling', 'cancelled']).toContain((await json(cancel)).status);
    const done = await settled(tenant, created.id);
    expect(done.status).toBe('cancelled');
    expect(done.counts.completed).toBeLessThan(1_000);
    expect(done.counts.completed + done.counts.cancelled).toBe(1_000);
    // Nothing more runs afterwards.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await getBatch(tenant, created.id)).counts.completed).toBe(done.counts.completed);
    const { response, lines } = await results(tenant, created.id);
    expect(response.headers.get('x-batch-status')).toBe('cancelled');
    expect(lines).toHaveLength(1_000);
    expect(lines.filter((line) => line.status === 'cancelled')).toHaveLength(done.counts.cancelled);
    expect(lines.at(-1)).toMatchObject({ index: 999, status: 'cancelled', error: { code: 'batch_cancelled' } });
    const again = await call(`/v1/batches/${created.id}/cancel`, { method: 'POST', headers: tenant.auth });
    expect((await json(again)).status).toBe('cancelled');
  }, 60_000);

  it('gives per-item errors for items the upstream fails, while the rest succeed', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['huggingface'] } });
    const failing = new Set([2, 7, 11]);
    const inputs = Array.from({ length: 15 }, (_, i) => ({ text: failing.has(i) ? uniqueText('[[hf:500]] bad') : uniqueText('I love it') }));
    const created = await createBatch(tenant, { task: 'sentiment', inputs });
    const done = await settled(tenant, created.id);
    expect(done).toMatchObject({ status: 'completed', counts: { total: 15, succeeded: 12, failed: 3 } });
    const { lines } = await results(tenant, created.id);
    lines.forEach((line, i) => {
      if (failing.has(i)) expect(line).toMatchObject({ index: i, id: null, status: 'failed', error: { type: 'upstream_error', code: expect.any(String), request_id: `${created.id}.${i}` } });
      else expect(line).toMatchObject({ index: i, status: 'succeeded', result: { provider: 'huggingface' } });
    });
  });

  it("completes a rate-limited tenant's batch: chunks refused by the rate limit are retried", async () => {
    // One token every 3 s, and creating the batch takes the only one: each of the 3 chunks waits for its token.
    const tenant = await createTenant({ limits: { rpm: 20, burst: 1 } });
    const created = await createBatch(tenant, { task: 'sentiment', inputs: Array.from({ length: 120 }, () => ({ text: uniqueText('Great value') })) });
    const limited = await call('/v1/sentiment', { headers: tenant.auth, body: { text: 'hello' } });
    expect(limited.status).toBe(429);
    // Watched in D1: reading the batch through the API would take the tokens the chunks wait for.
    const row = await eventually(() => env.DB.prepare('SELECT * FROM batches WHERE id = ?').bind(created.id).first<any>(), (batch) => batch.status === 'completed', 450);
    expect(row).toMatchObject({ status: 'completed', succeeded: 120, failed: 0 });
    expect(Date.parse(row.finished_at) - Date.parse(row.created_at)).toBeGreaterThanOrEqual(6_000);
    // Reading the results is rate-limited too: the next token comes within 3 s.
    const { lines } = await eventually(() => results(tenant, created.id), ({ response }) => response.status === 200, 50);
    expect(lines.map((line) => line.status)).toEqual(Array(120).fill('succeeded'));
  }, 60_000);

  it('refuses a batch whose first item the budget cannot pay for; fails the rest with the 402 once the budget refuses a chunk', async () => {
    const review = () => ({ text: uniqueText('A long enough review to cost something real '.repeat(40)) });
    const oneItem = estimateCost(env, TASKS.sentiment, review()).usd;
    expect(oneItem).toBeGreaterThan(0);
    // Not even one item fits: refused whole, nothing stored.
    const broke = await createTenant({ limits: { daily_budget_usd: oneItem / 2 }, providerOrder: { sentiment: ['workers-ai'] } });
    const refused = await call('/v1/batches', { headers: broke.auth, body: { task: 'sentiment', inputs: [review(), review()] } });
    expect(refused.status).toBe(402);
    expect((await json(refused)).error).toMatchObject({ type: 'budget_error', code: 'budget_exhausted' });
    expect((await json(await call('/v1/batches', { headers: broke.auth }))).data).toEqual([]);
    // Room for a couple of items, not for a chunk of 50: accepted, then every item fails with the 402.
    const tenant = await createTenant({ limits: { daily_budget_usd: oneItem * 2 }, providerOrder: { sentiment: ['workers-ai'] } });
    const created = await createBatch(tenant, { task: 'sentiment', inputs: Array.from({ length: 60 }, review) });
    const done = await settled(tenant, created.id);
    expect(done).toMatchObject({ status: 'completed', counts: { total: 60, failed: 60, succeeded: 0 } });
    const { lines } = await results(tenant, created.id);
    expect(lines).toHaveLength(60);
    for (const line of lines) expect(line.error).toMatchObject({ type: 'budget_error', code: 'budget_exhausted' });
  });

  it('replays a create with the same Idempotency-Key, and refuses the key with another body', async () => {
    const tenant = await createTenant();
    const body = { task: 'language', inputs: [{ text: 'Bonjour tout le monde' }] };
    const first = await createBatch(tenant, body, { 'idempotency-key': 'backfill-2026-12-03' });
    const again = await call('/v1/batches', { headers: { ...tenant.auth, 'idempotency-key': 'backfill-2026-12-03' }, body });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await json(again)).id).toBe(first.id);
    const other = await call('/v1/batches', { headers: { ...tenant.auth, 'idempotency-key': 'backfill-2026-12-03' }, body: { ...body, inputs: [{ text: 'Hallo' }] } });
    expect(other.status).toBe(422);
    expect((await json(other)).error).toMatchObject({ code: 'idempotency_key_reused', param: 'Idempotency-Key' });
    const list = await json(await call('/v1/batches', { headers: tenant.auth }));
    expect(list.data.map((batch: any) => batch.id)).toEqual([first.id]);
  });
});

describe('listing batches', () => {
  it('lists newest first, a page at a time, and only the tasks a scoped key may run', async () => {
    const tenant = await createTenant();
    const ids: string[] = [];
    for (const task of ['language', 'sentiment', 'language']) ids.push((await createBatch(tenant, { task, inputs: [{ text: uniqueText('Bonjour') }] })).id);
    const first = await json(await call('/v1/batches?limit=2', { headers: tenant.auth }));
    expect(first).toMatchObject({ has_more: true, last_id: ids[1] });
    expect(first.data.map((batch: any) => batch.id)).toEqual([ids[2], ids[1]]);
    const second = await json(await call(`/v1/batches?limit=2&after=${first.last_id}`, { headers: tenant.auth }));
    expect(second).toMatchObject({ has_more: false, last_id: ids[0] });
    expect(second.data.map((batch: any) => batch.id)).toEqual([ids[0]]);
    // A cursor that is none of the tenant's batches is refused, not answered with an empty last page.
    const other = await createTenant();
    for (const after of ['bogus', ids[0]!]) {
      const refused = await call(`/v1/batches?after=${after}`, { headers: other.auth });
      expect(refused.status, after).toBe(400);
      expect((await json(refused)).error).toMatchObject({ code: 'invalid_field', param: 'after' });
    }
    const scoped = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'secret', scopes: ['sentiment'] } }));
    const auth = { authorization: `Bearer ${scoped.key}` };
    expect((await json(await call('/v1/batches', { headers: auth }))).data.map((batch: any) => batch.id)).toEqual([ids[1]]);
    expect((await call(`/v1/batches/${ids[0]}`, { headers: auth })).status).toBe(404);
  });
});

describe('batch events', () => {
  it('announces a batch that completed, and one cancelled while queued, to the hooks subscribed', async () => {
    const tenant = await createTenant();
    const bucket = await receiverBucket();
    await createHook(tenant, { name: 'batch watcher', destination: { url: bucket.url }, events: ['batch.completed', 'batch.cancelled'] });
    const created = await createBatch(tenant, { task: 'language', inputs: [{ text: 'Bonjour à tous' }, { text: 'Guten Morgen' }] });
    const received = await eventually(() => bucket.received(), (requests) => requests.length >= 1);
    const event = JSON.parse(received[0]!.body);
    expect(event).toMatchObject({ type: 'batch.completed', data: { id: created.id, task: 'language', status: 'completed', counts: { total: 2, succeeded: 2 }, usage: { cost_usd: expect.any(Number) } } });

    const cancelled = await createBatch(tenant, { task: 'language', inputs: [{ text: 'Hola' }] });
    const cancel = await call(`/v1/batches/${cancelled.id}/cancel`, { method: 'POST', headers: tenant.auth });
    const all = await eventually(() => bucket.received(), (requests) => requests.length >= 2);
    const second = JSON.parse(all[1]!.body);
    // The cancel may land after the batch's only chunk ran (409): then it completed instead.
    expect(second).toMatchObject({ type: cancel.status === 409 ? 'batch.completed' : 'batch.cancelled', data: { id: cancelled.id } });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await bucket.received()).toHaveLength(2);
  });
});

describe('a batch at the item limit', () => {
  it('accepts 10,000 items in one request, validated and stored whole, and lists it', async () => {
    const tenant = await createTenant();
    const inputs = Array.from({ length: 10_000 }, (_, i) => ({ text: `Review number ${i}: the blender is loud but it crushes ice well enough for me` }));
    const created = await createBatch(tenant, { task: 'sentiment', inputs });
    expect(created.counts.total).toBe(10_000);
    const chunks = await env.DB.prepare('SELECT COUNT(*) AS n, SUM(json_array_length(ids)) AS items FROM batch_chunks WHERE batch_id = ?').bind(created.id).first<{ n: number; items: number }>();
    expect(chunks).toEqual({ n: 200, items: 10_000 });
    const list = await json(await call('/v1/batches?limit=1', { headers: tenant.auth }));
    expect(list).toMatchObject({ object: 'list', data: [{ id: created.id }], has_more: false, last_id: created.id });
    // Stop it: running 200 chunks is not this test's business.
    expect((await call(`/v1/batches/${created.id}/cancel`, { method: 'POST', headers: tenant.auth })).status).toBe(200);
  }, 60_000);
});
