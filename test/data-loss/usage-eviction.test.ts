import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { guardFor } from '../../src/durable-objects/tenant-guard/client';
import { estimateCost, runTask } from '../../src/pipeline/run-task';
import type { TaskContext } from '../../src/pipeline/context';
import { usageForTenant } from '../../src/storage/usage';
import { sentimentTask } from '../../src/tasks/sentiment/task';
import { createTenant, eventually, uniqueText } from '../support/api';

/**
 * An isolate evicted right after responding: whatever was handed to waitUntil never runs. The
 * queue here only sends when its promise is awaited (a lazy thenable), so work left to a dropped
 * waitUntil is lost, exactly as after an eviction, and only what the request itself awaited lands.
 */
const evictedAfterResponse = {
  waitUntil: () => undefined,
  USAGE: { send: (body: unknown) => ({ then: (ok: () => void, fail: (error: unknown) => void) => env.USAGE.send(body as never).then(ok, fail) }) } as unknown as Queue,
};

describe('usage records survive an eviction after the response', () => {
  it('the usage event is queued before runTask returns, with nothing left to waitUntil', async () => {
    const tenant = await createTenant();
    const input = { text: uniqueText() };
    const admission = await guardFor(env, tenant.id).admit({ tenantId: tenant.id, keyId: tenant.keyId, spends: true, estimate: estimateCost(env, sentimentTask, input) });
    const requestId = `req_${crypto.randomUUID()}`;
    const ctx: TaskContext = {
      env: { ...env, USAGE: evictedAfterResponse.USAGE },
      policy: admission.policy!,
      keyId: tenant.keyId,
      requestId,
      noCache: false,
      startedAt: Date.now(),
      ...(admission.reservation ? { reservation: admission.reservation } : {}),
      waitUntil: evictedAfterResponse.waitUntil,
    };
    const { envelope } = await runTask(ctx, sentimentTask, input);
    const rows = await eventually(() => usageForTenant(env.DB, tenant.id), (found) => found.length > 0);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ request_id: requestId, cost_usd: envelope.usage.cost_usd, task: 'sentiment' });
  });
});
