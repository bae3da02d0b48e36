import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { MAX_GROUPS } from '../src/storage/usage-rollups';
import { insertUsageEvents, usageForTenant } from '../src/storage/usage';
import type { UsageEvent } from '../src/contracts/queue-messages';
import { ADMIN, call, createTenant, json, uniqueText, type TestTenant } from './support/api';

const SENTIMENT_MODEL = '@cf/huggingface/distilbert-sst-2-int8';
const DAY_MS = 86_400_000;

const usage = (tenant: Pick<TestTenant, 'auth'>, query = '') => call(`/v1/usage${query}`, { headers: tenant.auth });

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < 100 && !done(value); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

/** Nearest rank, computed independently of the SQL: the value at rank ceil(p/100 · n). */
function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p * sorted.length) / 100) - 1]!;
}

const sum = (events: UsageEvent[], field: 'items' | 'cached_items' | 'cost_usd' | 'baseline_cost_usd' | 'neurons') => events.reduce((total, event) => total + event[field], 0);

/** What the rollup of these events must say, field by field. */
function expectRollupOf(rollup: any, events: UsageEvent[]): void {
  expect(rollup.requests).toBe(events.length);
  expect(rollup.items).toBe(sum(events, 'items'));
  expect(rollup.cached_items).toBe(sum(events, 'cached_items'));
  expect(rollup.cache_hit_ratio).toBeCloseTo(sum(events, 'cached_items') / sum(events, 'items'), 12);
  expect(rollup.cost_usd).toBeCloseTo(sum(events, 'cost_usd'), 12);
  expect(rollup.baseline_cost_usd).toBeCloseTo(sum(events, 'baseline_cost_usd'), 12);
  expect(rollup.saved_usd).toBeCloseTo(sum(events, 'baseline_cost_usd') - sum(events, 'cost_usd'), 12);
  expect(rollup.neurons).toBeCloseTo(sum(events, 'neurons'), 6);
  const latencies = events.map((event) => event.latency_ms);
  expect(rollup.latency_p50_ms).toBe(nearestRank(latencies, 50));
  expect(rollup.latency_p99_ms).toBe(nearestRank(latencies, 99));
}

let sequence = 0;
function event(tenantId: string, fields: Partial<UsageEvent> & Pick<UsageEvent, 'created_at'>): UsageEvent {
  return {
    request_id: `rollup-test-${crypto.randomUUID()}-${sequence++}`,
    tenant_id: tenantId,
    key_id: 'key_direct',
    task: 'sentiment',
    model: SENTIMENT_MODEL,
    provider: 'workers-ai',
    cache_status: 'MISS',
    cascade_step: null,
    items: 1,
    cached_items: 0,
    units: 10,
    cost_usd: 0.001,
    baseline_cost_usd: 0.001,
    neurons: 1,
    latency_ms: 10,
    ...fields,
  };
}

async function insert(events: UsageEvent[]): Promise<void> {
  for (let start = 0; start < events.length; start += 200) await insertUsageEvents(env.DB, events.slice(start, start + 200));
}

async function issueKey(tenantId: string, body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  return json(await call(`/admin/tenants/${tenantId}/keys`, { headers: ADMIN, body }));
}

describe('GET /v1/usage over requests sent through the pipeline', () => {
  it('rolls up per task, model, key and day, with savings from cache hits, and only for the calling tenant', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const other = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const second = await issueKey(tenant.id, { kind: 'secret' });
    const secondAuth = { authorization: `Bearer ${second.key}` };

    const [first, next, last] = [uniqueText('I love this product, it is wonderful'), uniqueText('This is terrible'), uniqueText('ok')];
    const responses = [
      await call('/v1/sentiment', { headers: tenant.auth, body: { text: first } }), // MISS
      await call('/v1/sentiment', { headers: tenant.auth, body: { text: first } }), // HIT
      await call('/v1/sentiment', { headers: tenant.auth, body: { text: [first, next] } }), // PARTIAL
      await call('/v1/sentiment', { headers: secondAuth, body: { text: last } }), // MISS, second key
      await call('/v1/sentiment', { headers: other.auth, body: { text: uniqueText() } }), // the other tenant
    ];
    expect(responses.map((response) => response.headers.get('x-cache'))).toEqual(['MISS', 'HIT', 'PARTIAL', 'MISS', 'MISS']);

    const events = await eventually(() => usageForTenant(env.DB, tenant.id), (rows) => rows.length >= 4);
    const otherEvents = await eventually(() => usageForTenant(env.DB, other.id), (rows) => rows.length >= 1);
    expect(events).toHaveLength(4);

    const byTask = await json(await usage(tenant, '?group_by=task'));
    expect(byTask).toMatchObject({ object: 'usage', group_by: 'task', has_more: false });
    expect(byTask.data.map((row: any) => row.group)).toEqual(['sentiment']);
    expectRollupOf(byTask.data[0], events);
    expectRollupOf(byTask.totals, events);
    expect(byTask.totals).toMatchObject({ requests: 4, items: 5, cached_items: 2, cache_hit_ratio: 0.4 });
    // The two cached items cost nothing but the default model would have charged for them.
    expect(byTask.totals.saved_usd).toBeGreaterThan(0);
    const hit = events.find((row) => row.cache_status === 'HIT')!;
    expect(byTask.totals.saved_usd).toBeGreaterThanOrEqual(hit.baseline_cost_usd - 1e-15);

    const byModel = await json(await usage(tenant, '?group_by=model'));
    expect(byModel.data.map((row: any) => row.group)).toEqual([SENTIMENT_MODEL]);
    expectRollupOf(byModel.data[0], events);

    const byKey = await json(await usage(tenant, '?group_by=key'));
    expect(byKey.data.map((row: any) => row.group).sort()).toEqual([tenant.keyId, second.id].sort());
    // Most expensive first: the first key made two paid calls, the second one short one.
    expect(byKey.data[0].group).toBe(tenant.keyId);
    expect(byKey.data[0].cost_usd).toBeGreaterThan(byKey.data[1].cost_usd);
    for (const row of byKey.data) expectRollupOf(row, events.filter((e) => e.key_id === row.group));

    // Default: by UTC day over the last 30 days up to now.
    const byDay = await json(await usage(tenant));
    expect(byDay.group_by).toBe('day');
    expect(Date.parse(byDay.to) - Date.parse(byDay.from)).toBe(30 * DAY_MS);
    expect(Math.abs(Date.parse(byDay.to) - Date.now())).toBeLessThan(60_000);
    const days = [...new Set(events.map((e) => e.created_at.slice(0, 10)))].sort();
    expect(byDay.data.map((row: any) => row.group)).toEqual(days);
    expectRollupOf(byDay.totals, events);

    // The other tenant sees its own request and nothing of the first tenant's.
    const theirs = await json(await usage(other, '?group_by=key'));
    expect(theirs.data.map((row: any) => row.group)).toEqual([other.keyId]);
    expectRollupOf(theirs.totals, otherEvents);
  });
});

describe('GET /v1/usage over rows with chosen times and latencies', () => {
  it('groups by UTC day across midnight; from is inclusive, to exclusive', async () => {
    const tenant = await createTenant();
    const at = (created_at: string, latency_ms = 10) => event(tenant.id, { created_at, latency_ms });
    await insert([
      at('2025-02-28T23:59:59.999Z'), // before the range
      at('2025-03-01T00:00:00.000Z', 5), // exactly `from`: in
      at('2025-03-01T23:59:59.999Z', 7),
      at('2025-03-02T00:00:00.000Z', 9),
      at('2025-03-02T12:00:00.000Z', 11),
      at('2025-03-03T00:00:00.000Z'), // exactly `to`: out
      // Another tenant's rows at the same times are never counted.
      event('some-other-tenant', { created_at: '2025-03-01T12:00:00.000Z' }),
      event('some-other-tenant', { created_at: '2025-03-02T12:00:00.000Z' }),
    ]);

    const response = await usage(tenant, '?from=2025-03-01&to=2025-03-03');
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ from: '2025-03-01T00:00:00.000Z', to: '2025-03-03T00:00:00.000Z', group_by: 'day', has_more: false });
    expect(body.data.map((row: any) => [row.group, row.requests, row.latency_p50_ms, row.latency_p99_ms])).toEqual([
      ['2025-03-01', 2, 5, 7],
      ['2025-03-02', 2, 9, 11],
    ]);
    expect(body.totals).toMatchObject({ requests: 4, items: 4, cached_items: 0, cache_hit_ratio: 0, latency_p50_ms: 7, latency_p99_ms: 11 });
    expect(body.totals.cost_usd).toBeCloseTo(0.004, 12);

    // Datetimes with an offset are read as instants: 01:00+01:00 is 00:00Z.
    const shifted = await json(await usage(tenant, `?from=${encodeURIComponent('2025-03-01T01:00:00+01:00')}&to=${encodeURIComponent('2025-03-02T00:00:00Z')}`));
    expect(shifted.from).toBe('2025-03-01T00:00:00.000Z');
    expect(shifted.data.map((row: any) => [row.group, row.requests])).toEqual([['2025-03-01', 2]]);
  });

  it('computes exact nearest-rank p50 and p99 per group and overall, groups by cost', async () => {
    const tenant = await createTenant();
    const created_at = '2025-06-15T12:00:00.000Z';
    const groups: Record<string, { latencies: number[]; cost: number }> = {
      hundred: { latencies: Array.from({ length: 100 }, (_, index) => 100 - index), cost: 0.0001 }, // total 0.01
      three: { latencies: [30, 10, 20], cost: 0.01 }, // total 0.03
      two: { latencies: [20, 10], cost: 0.001 }, // total 0.002
      one: { latencies: [42], cost: 0.5 },
    };
    const rows = Object.entries(groups).flatMap(([model, { latencies, cost }]) =>
      latencies.map((latency_ms) => event(tenant.id, { created_at, model, latency_ms, cost_usd: cost, baseline_cost_usd: cost * 2 })),
    );
    await insert(rows);

    const body = await json(await usage(tenant, '?from=2025-06-15&to=2025-06-16&group_by=model'));
    expect(body.data.map((row: any) => [row.group, row.requests, row.latency_p50_ms, row.latency_p99_ms])).toEqual([
      ['one', 1, 42, 42],
      ['three', 3, 20, 30], // ranks ceil(1.5) = 2 and ceil(2.97) = 3
      ['hundred', 100, 50, 99], // ranks 50 and 99
      ['two', 2, 10, 20], // ranks ceil(1) = 1 and ceil(1.98) = 2
    ]);
    const all = rows.map((row) => row.latency_ms);
    expect(body.totals.latency_p50_ms).toBe(nearestRank(all, 50));
    expect(body.totals.latency_p99_ms).toBe(nearestRank(all, 99));
    expect(body.totals.latency_p99_ms).toBe(99); // rank ceil(104.94) = 105 of 106
    expect(body.totals.cost_usd).toBeCloseTo(0.542, 12);
    expect(body.totals.saved_usd).toBeCloseTo(0.542, 12);
  });

  it(`returns at most ${MAX_GROUPS.model} models, the costliest, and says more exist`, async () => {
    const tenant = await createTenant();
    const created_at = '2025-07-01T08:00:00.000Z';
    const count = MAX_GROUPS.model + 1;
    await insert(Array.from({ length: count }, (_, index) => event(tenant.id, { created_at, model: `model-${index}`, cost_usd: (index + 1) / 1_000_000 })));

    const body = await json(await usage(tenant, '?from=2025-07-01&to=2025-07-02&group_by=model'));
    expect(body.has_more).toBe(true);
    expect(body.data).toHaveLength(MAX_GROUPS.model);
    expect(body.data[0].group).toBe(`model-${count - 1}`);
    expect(body.data.map((row: any) => row.group)).not.toContain('model-0'); // the cheapest was cut
    expect(body.totals.requests).toBe(count); // totals still count every group
  });

  it('answers an empty range with no groups and zero totals', async () => {
    const tenant = await createTenant();
    const body = await json(await usage(tenant, '?from=2020-01-01&to=2020-01-02&group_by=task'));
    expect(body).toEqual({
      object: 'usage',
      from: '2020-01-01T00:00:00.000Z',
      to: '2020-01-02T00:00:00.000Z',
      group_by: 'task',
      data: [],
      has_more: false,
      totals: { requests: 0, items: 0, cached_items: 0, cache_hit_ratio: null, cost_usd: 0, baseline_cost_usd: 0, saved_usd: 0, neurons: 0, latency_p50_ms: null, latency_p99_ms: null },
    });
  });
});

describe('GET /v1/usage: keys and validation', () => {
  it('needs a secret key', async () => {
    const tenant = await createTenant();
    expect((await call('/v1/usage')).status).toBe(401);
    expect((await call('/v1/usage', { headers: { authorization: `Bearer sk_${'x'.repeat(32)}` } })).status).toBe(401);

    const publishable = await issueKey(tenant.id, { kind: 'publishable', origins: ['https://shop.example'] });
    const refused = await call('/v1/usage', { headers: { authorization: `Bearer ${publishable.key}`, origin: 'https://shop.example' } });
    expect(refused.status).toBe(403);
    expect((await json(refused)).error).toMatchObject({ type: 'permission_error', code: 'secret_key_required' });
  });

  it.each([
    ['?from=yesterday', 'from', 'invalid_field'],
    ['?to=2026-02-30', 'to', 'invalid_field'],
    ['?from=2026-11-01T10:00:00', 'from', 'invalid_field'], // no offset: ambiguous
    ['?group_by=week', 'group_by', 'invalid_field'],
    ['?from=2026-11-02&to=2026-11-01', 'to', 'invalid_field'],
    ['?from=2026-11-01&to=2026-11-01', 'to', 'invalid_field'],
    ['?from=2025-01-01&to=2026-01-03', 'to', 'invalid_field'], // 367 days
    ['?from=2000-01-01', 'from', 'invalid_field'], // to defaults to now: far more than 366 days
    ['?from=2999-01-01', 'from', 'invalid_field'], // after now, the default `to`
    ['?from=2026-11-01&from=2026-11-02', 'from', 'invalid_field'],
    ['?groupby=task', 'groupby', 'unknown_field'],
  ])('%s → 400 naming %s', async (query, param, code) => {
    const tenant = await createTenant();
    const response = await usage(tenant, query);
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatchObject({ type: 'invalid_request_error', code, param, request_id: expect.any(String) });
  });

  it('accepts a span of exactly 366 days and defaults `from` to 30 days before `to`', async () => {
    const tenant = await createTenant();
    expect((await usage(tenant, '?from=2025-01-01&to=2026-01-02')).status).toBe(200);
    expect(await json(await usage(tenant, '?to=2025-03-31'))).toMatchObject({ from: '2025-03-01T00:00:00.000Z', to: '2025-03-31T00:00:00.000Z' });
  });

  it('is documented in /openapi.json', async () => {
    const doc = await json(await call('/openapi.json'));
    const route = doc.paths['/v1/usage'].get;
    expect(route.parameters.map((parameter: any) => parameter.name)).toEqual(['from', 'to', 'group_by']);
    expect(Object.keys(route.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '429']));
    expect(route.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/UsageReport');
    expect(Object.keys(doc.components.schemas.UsageReportGroup.properties)).toEqual(
      expect.arrayContaining(['group', 'requests', 'items', 'cached_items', 'cache_hit_ratio', 'cost_usd', 'baseline_cost_usd', 'saved_usd', 'neurons', 'latency_p50_ms', 'latency_p99_ms']),
    );
    expect(doc.components.schemas.UsageReportTotals).toBeDefined();
    // The task envelope's own `Usage` component is untouched (a name clash would silently replace one).
    expect(doc.components.schemas.Usage.properties.units).toBeDefined();
    expect(doc.components.schemas.UsageReport.properties.data.items.$ref).toBe('#/components/schemas/UsageReportGroup');
  });
});
