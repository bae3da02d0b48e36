import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { guardFor } from '../src/durable-objects/tenant-guard/client';
import { LEASE_VALID_MS } from '../src/durable-objects/tenant-guard/leases';
import type { UsageEvent } from '../src/contracts/queue-messages';
import { usageForTenant } from '../src/storage/usage';
import { updateTenant } from '../src/storage/tenants';
import { ADMIN, call, createTenant, eventually, json, uniqueText, type TestTenant } from './support/api';

const sentiment = (tenant: TestTenant, text: string) => call('/v1/sentiment', { headers: tenant.auth, body: { text } });
const counters = (tenant: TestTenant) => guardFor(env, tenant.id).counters();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends until the isolate holds a lease (the first requests are admitted by the guard and ask for one). */
async function warmLease(tenant: TestTenant, text: string): Promise<void> {
  for (let i = 0; i < 20 && (await counters(tenant)).leases === 0; i++) {
    expect((await sentiment(tenant, text)).status).toBe(200);
    await sleep(20);
  }
  expect((await counters(tenant)).leases).toBeGreaterThan(0);
}

describe('leases: admission without a guard round trip far from the caps', () => {
  it('admits cache hits from the lease, and every one of them is metered', async () => {
    const tenant = await createTenant();
    const text = uniqueText();
    await warmLease(tenant, text);
    const before = await counters(tenant);
    const responses = [];
    for (let i = 0; i < 30; i++) responses.push(await sentiment(tenant, text));
    expect(responses.map((response) => response.status)).toEqual(Array(30).fill(200));
    expect(responses.every((response) => Number(response.headers.get('RateLimit-Remaining')) > 0)).toBe(true);
    const after = await counters(tenant);
    // At most a renewal or two, never one RPC per request.
    expect(after.admissions).toBe(before.admissions);
    expect(after.leases - before.leases).toBeLessThanOrEqual(3);
    const served = before.admissions + 30;
    const rows = await eventually(() => usageForTenant(env.DB, tenant.id), (found) => found.length >= served);
    expect(rows).toHaveLength(served);
    expect(rows.every((row) => row.task === 'sentiment')).toBe(true);
  });

  it('a tenant that asks for exact admission pays one guard RPC per request', async () => {
    const tenant = await createTenant({ limits: { exact_admission: true } });
    const text = uniqueText();
    for (let i = 0; i < 8; i++) expect((await sentiment(tenant, text)).status).toBe(200);
    expect(await counters(tenant)).toMatchObject({ admissions: 8, leases: 0 });
  });

  it('never admits past the bucket; a token a lease held comes back within a lease period', async () => {
    const burst = 200;
    const tenant = await createTenant({ limits: { rpm: 1, burst } });
    const text = uniqueText();
    let admitted = 0;
    for (let i = 0; i < 20 && (await counters(tenant)).leases === 0; i++) {
      if ((await sentiment(tenant, text)).status === 200) admitted++;
      await sleep(20);
    }
    const statuses = await Promise.all(Array.from({ length: 2 * burst }, () => sentiment(tenant, text).then((response) => response.status)));
    expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
    admitted += statuses.filter((status) => status === 200).length;
    // Leases take their tokens from the bucket: nothing is admitted twice.
    expect(admitted).toBeLessThanOrEqual(burst);
    // A lease granted after the burst's last request was refused holds tokens nobody used; they go
    // back to the bucket when it is handed back, within a lease period.
    await sleep(LEASE_VALID_MS + 500);
    for (let i = 0; i < burst && (await sentiment(tenant, text)).status === 200; i++) admitted++;
    expect(admitted).toBe(burst);
  }, 60_000); // 600 requests: about 12 s on a quiet 2-core machine, past the 20 s default when it is busy

  it('a key revoked elsewhere is refused here within a lease period', async () => {
    const tenant = await createTenant();
    const text = uniqueText();
    await warmLease(tenant, text);
    // Revoked by another isolate: this one's key cache and lease know nothing of it.
    await guardFor(env, tenant.id).revokeKey(tenant.keyId);
    const started = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - started < 5 * LEASE_VALID_MS) {
      status = (await sentiment(tenant, text)).status;
      if (status === 200) await sleep(25);
    }
    expect(status).toBe(401);
    expect(Date.now() - started).toBeLessThanOrEqual(2 * LEASE_VALID_MS + 500);
  });

  it('a lowered limit set elsewhere reaches this isolate within a lease period', async () => {
    const tenant = await createTenant({ limits: { rpm: 1, burst: 1000 } });
    const text = uniqueText();
    await warmLease(tenant, text);
    await updateTenant(env.DB, tenant.id, { limits: { burst: 2 } });
    await guardFor(env, tenant.id).configure(tenant.id);
    const started = Date.now();
    let response = await sentiment(tenant, text);
    while (response.status === 200 && Date.now() - started < 5 * LEASE_VALID_MS) {
      await sleep(25);
      response = await sentiment(tenant, text);
    }
    expect(response.status).toBe(429);
    expect(Date.now() - started).toBeLessThanOrEqual(2 * LEASE_VALID_MS + 500);
  });
});

describe('the guard side of a lease', () => {
  const perRequest = { usd: 0.001, neurons: 0 };

  it('a returned lease charges what its calls cost, returns unused tokens and stores its usage events', async () => {
    const tenant = await createTenant({ limits: { rpm: 1, burst: 1000, daily_budget_usd: 10 } });
    const guard = guardFor(env, tenant.id);
    const lease = (await guard.lease({ tenantId: tenant.id, tokens: 40, perRequest }))!;
    expect(lease).toMatchObject({ tokens: 40, budget: { usd: 0.04, neurons: 0 }, bucketRemaining: 960 });
    const event: UsageEvent = {
      request_id: `req_${crypto.randomUUID()}`, tenant_id: tenant.id, key_id: tenant.keyId, task: 'sentiment', model: 'm', provider: 'local',
      cache_status: 'MISS', cascade_step: null, items: 1, cached_items: 0, units: 3, cost_usd: 0.0005, baseline_cost_usd: 0.001, neurons: 0, latency_ms: 1, created_at: new Date().toISOString(),
    };
    await guard.returnLease({ id: lease.id, tokensUnused: 39, spent: { usd: 0.0005, neurons: 0 }, events: [event] });
    expect(await guard.spentToday()).toBeCloseTo(0.0005, 10);
    const next = await guard.admit({ tenantId: tenant.id, keyId: tenant.keyId, spends: false });
    expect(next.remaining).toBe(998);
    const rows = await eventually(() => usageForTenant(env.DB, tenant.id), (found) => found.length > 0);
    expect(rows).toMatchObject([{ request_id: event.request_id, cost_usd: 0.0005 }]);
  });

  it('a lease handing back hundreds of events: all of them reach the usage table, none twice', async () => {
    const tenant = await createTenant({ limits: { rpm: 1, burst: 1000, daily_budget_usd: 10 } });
    const guard = guardFor(env, tenant.id);
    const lease = (await guard.lease({ tenantId: tenant.id, tokens: 100, perRequest }))!;
    // More than two of the queue's 100-message batches, so the outbox stores and sends them in parts.
    const events: UsageEvent[] = Array.from({ length: 250 }, (_, index) => ({
      request_id: `req_${index}_${crypto.randomUUID()}`, tenant_id: tenant.id, key_id: tenant.keyId, task: 'sentiment', model: 'm', provider: 'local',
      cache_status: 'HIT', cascade_step: null, items: 1, cached_items: 1, units: 3, cost_usd: 0, baseline_cost_usd: 0.001, neurons: 0, latency_ms: 1, created_at: new Date().toISOString(),
    }));
    await guard.returnLease({ id: lease.id, tokensUnused: 0, spent: { usd: 0, neurons: 0 }, events });
    const rows = await eventually(() => usageForTenant(env.DB, tenant.id), (found) => found.length >= 250);
    expect(new Set(rows.map((row) => row.request_id))).toEqual(new Set(events.map((event) => event.request_id)));
    expect(rows).toHaveLength(250);
    expect(await guard.heldUsageEvents()).toBe(0);
  });

  it('a lease never handed back is charged in full and recorded as one unreported lease', async () => {
    const tenant = await createTenant({ limits: { rpm: 1, burst: 1000, daily_budget_usd: 10 } });
    const guard = guardFor(env, tenant.id);
    const lease = (await guard.lease({ tenantId: tenant.id, tokens: 16, perRequest }))!;
    const later = Date.now() + 121_000;
    await guard.admit({ tenantId: tenant.id, keyId: tenant.keyId, spends: true, estimate: { usd: 0, neurons: 0 }, nowMs: later });
    expect(await guard.spentToday(later)).toBeCloseTo(0.016, 10);
    const rows = await eventually(() => usageForTenant(env.DB, tenant.id), (found) => found.length > 0);
    expect(rows).toMatchObject([{ request_id: `lease_${lease.id}`, task: 'unreported_lease', items: 16, cost_usd: 0.016 }]);
    // Handed back too late: nothing is charged twice.
    await guard.returnLease({ id: lease.id, tokensUnused: 16, spent: { usd: 0, neurons: 0 }, events: [] });
    expect(await guard.spentToday(later)).toBeCloseTo(0.016, 10);
  });

  it('grants no lease near a cap, nor to a tenant that asked for exact admission', async () => {
    const small = await createTenant({ limits: { rpm: 1, burst: 12 } });
    expect(await guardFor(env, small.id).lease({ tenantId: small.id, tokens: 16, perRequest })).toBeNull();
    const poor = await createTenant({ limits: { daily_budget_usd: 0.005 } });
    expect(await guardFor(env, poor.id).lease({ tenantId: poor.id, tokens: 16, perRequest })).toBeNull();
    const exact = await createTenant({ limits: { exact_admission: true } });
    expect(await guardFor(env, exact.id).lease({ tenantId: exact.id, tokens: 16, perRequest })).toBeNull();
    const unknown = `ten_${crypto.randomUUID()}`;
    expect(await guardFor(env, unknown).lease({ tenantId: unknown, tokens: 16, perRequest })).toBeNull();
  });

  it('shows the setting in the admin API', async () => {
    const tenant = await createTenant({ limits: { exact_admission: true } });
    const fetched = await json(await call(`/admin/tenants/${tenant.id}`, { method: 'GET', headers: { authorization: 'Bearer dev-admin-token' } }));
    expect(fetched.limits.exact_admission).toBe(true);
  });

  it('a secret key with exact_admission is admitted by the guard on every request, while the tenant\'s other keys use the lease', async () => {
    const tenant = await createTenant();
    const text = uniqueText();
    await warmLease(tenant, text);
    const exact = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'secret', exact_admission: true } }));
    expect(exact).toMatchObject({ kind: 'secret', exact_admission: true });
    const before = await counters(tenant);
    for (let i = 0; i < 5; i++) expect((await call('/v1/sentiment', { headers: { authorization: `Bearer ${exact.key}` }, body: { text } })).status).toBe(200);
    const after = await counters(tenant);
    expect(after.admissions - before.admissions).toBe(5);
    // Turned off again: that key's requests go back to the lease (this isolate forgot the key on PATCH).
    const patched = await json(await call(`/admin/keys/${exact.id}`, { method: 'PATCH', headers: ADMIN, body: { exact_admission: false } }));
    expect(patched.exact_admission).toBe(false);
    for (let i = 0; i < 5; i++) expect((await call('/v1/sentiment', { headers: { authorization: `Bearer ${exact.key}` }, body: { text } })).status).toBe(200);
    expect((await counters(tenant)).admissions - after.admissions).toBeLessThan(5);
  });

  it('refuses exact_admission on a publishable key, naming the field', async () => {
    const tenant = await createTenant();
    const created = await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'publishable', origins: ['https://shop.example'], exact_admission: true } });
    expect(created.status).toBe(400);
    expect(await created.json()).toMatchObject({ error: { code: 'invalid_field', param: 'exact_admission' } });
    const publishable = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'publishable', origins: ['https://shop.example'] } }));
    const patched = await call(`/admin/keys/${publishable.id}`, { method: 'PATCH', headers: ADMIN, body: { exact_admission: true } });
    expect(patched.status).toBe(400);
    expect(await patched.json()).toMatchObject({ error: { code: 'invalid_field', param: 'exact_admission' } });
  });
});
