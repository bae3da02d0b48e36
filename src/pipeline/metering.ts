import type { UsageEvent } from '../contracts/queue-messages';
import { guardFor } from '../durable-objects/tenant-guard/client';
import type { TaskContext } from './context';

/** What one call used, in the pipeline's terms; `usageEvent` turns it into the stored record. */
export interface MeteredCall {
  task: string;
  model: string;
  provider: string;
  cacheStatus: UsageEvent['cache_status'];
  /** With a cascade: the providers that answered, in order; else null. */
  cascadeStep: string | null;
  items: number;
  cachedItems: number;
  units: number;
  costUsd: number;
  neurons: number;
  /** What calling the task's default neural model for every item would have cost. */
  baselineCostUsd: number;
}

/** The one builder of a usage event: runTask's calls and streamed generation are recorded alike. */
export function usageEvent(ctx: TaskContext, call: MeteredCall): UsageEvent {
  return {
    request_id: ctx.requestId,
    tenant_id: ctx.policy.tenantId,
    key_id: ctx.keyId,
    task: call.task,
    model: call.model,
    provider: call.provider,
    cache_status: call.cacheStatus,
    cascade_step: call.cascadeStep,
    items: call.items,
    cached_items: call.cachedItems,
    units: call.units,
    cost_usd: call.costUsd,
    baseline_cost_usd: call.baselineCostUsd,
    neurons: call.neurons,
    latency_ms: Date.now() - ctx.startedAt,
    created_at: new Date().toISOString(),
  };
}

/**
 * The one way a metered call is recorded, for runTask and for the calls it cannot run (streamed
 * generation): the spend settled in the tenant's guard, the usage event queued before the caller
 * answers. The queue message is sent before the answer goes out, because work left to `waitUntil`
 * is lost if the isolate is evicted right after responding, and a usage record is billing data. A
 * queue send resolves once the queue has durably accepted the message (docs/how-a-request-runs.md:
 * what this costs a cache hit). Settling the budget stays off the response path: if that is lost,
 * the reservation expires and is charged in full — the safe side.
 */
export async function recordMetering(ctx: TaskContext, call: MeteredCall): Promise<void> {
  const event = usageEvent(ctx, call);
  if (ctx.lease) return ctx.lease.finish({ usd: event.cost_usd, neurons: event.neurons }, event);
  settle(ctx, event.cost_usd, event.neurons);
  await recordUsage(ctx, event);
}

/** Sends the usage event; if the queue refuses it, the answer still goes out and one more try is made after it. */
async function recordUsage(ctx: TaskContext, event: UsageEvent): Promise<void> {
  try {
    await ctx.env.USAGE.send(event);
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', request_id: event.request_id, error: `usage event not queued: ${String(error)}`, next: 'retrying after the response' }));
    ctx.waitUntil(ctx.env.USAGE.send(event));
  }
}

/** Releases the reservation and charges the actual cost, off the response path. */
export function settle(ctx: TaskContext, usd: number, neurons: number): void {
  if (ctx.lease) return ctx.lease.finish({ usd, neurons }, null);
  if (!ctx.reservation && !(usd > 0) && !(neurons > 0)) return;
  ctx.waitUntil(guardFor(ctx.env, ctx.policy.tenantId).settle(ctx.reservation, { usd, neurons }));
}
