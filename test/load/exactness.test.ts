import { env, runInDurableObject, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { BucketState } from '../../src/durable-objects/tenant-guard/token-bucket';
import { estimateCost } from '../../src/pipeline/run-task';
import { sentimentTask } from '../../src/tasks/sentiment/task';
import { eventually } from '../support/api';
import { exactnessTable, planExactness, runExactness, setUpExactness, type LoadClient } from './scenario.mjs';
import { guardFor } from '../../src/durable-objects/tenant-guard/client';

const client: LoadClient = {
  async request(method, path, headers, body) {
    const response = await SELF.fetch(`https://minnow.test${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, header: (name) => response.headers.get(name), body: await response.json() };
  },
};

const guard = (tenantId: string) => guardFor(env, tenantId);
/** The guard's tenant bucket, read and (optionally) set in place: the test controls where it starts. */
const bucketOf = (tenantId: string, set?: BucketState) =>
  runInDurableObject(guard(tenantId), (instance) => {
    const held = instance as unknown as { bucket: BucketState | null };
    if (set) held.bucket = set;
    return held.bucket;
  });

describe('rate limits and budgets under load', () => {
  it('admits exactly what every bucket and budget allows, across tenants, keys and visitors', { timeout: 120_000 }, async () => {
    const ready = await setUpExactness(client, planExactness(0.3), { budgetEstimateUsd: (text) => estimateCost(env, sentimentTask, { text }).usd, paidProviders: ['workers-ai'] });
    // The refill tenant starts empty at a known time; its bucket (40 tokens at 1 a second) cannot
    // fill up again during the run, so tokens are conserved: admitted = start + rpm × Δt − left.
    const refill = ready.find((tenant) => tenant.spec.refill)!;
    await client.request('POST', '/v1/sentiment', { authorization: `Bearer ${refill.keys[0]}` }, { text: 'warm the guard' });
    const start = (await bucketOf(refill.tenantId, { tokens: 0, updatedAtMs: Date.now() }))!;
    refill.startTokens = start.tokens;

    const { rows, problems, requests, elapsedMs } = await runExactness(client, ready, { concurrency: 100 });
    console.log(`load: ${requests} requests in ${elapsedMs} ms\n${exactnessTable(rows)}`);
    expect(problems).toEqual([]);

    const end = (await bucketOf(refill.tenantId))!;
    const allowed = start.tokens + (refill.spec.limits.rpm * (end.updatedAtMs - start.updatedAtMs)) / 60_000 - end.tokens;
    const refillRow = rows.find((row) => row.name === 'refill')!;
    expect(refillRow.admitted).toBeCloseTo(allowed, 6);

    // The budget: what the guard charged is what the responses say, and within the cap.
    const budget = ready.find((tenant) => tenant.spec.budgetRequests)!;
    const charged = rows.find((row) => row.name === 'budget')!.charged!;
    const spent = await eventually(() => guard(budget.tenantId).spentToday(), (value) => Math.abs(value - charged) < 1e-12);
    expect(spent).toBeCloseTo(charged, 12);
    expect(spent).toBeLessThanOrEqual(budget.cap);
  });
});
