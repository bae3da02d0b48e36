import { recordMetering, type TaskContext } from '../pipeline/run-task';
import { costOf } from '../providers/pricing';
import type { ProviderId } from '../providers/types';
import { WORKERS_AI_CHAT_MODEL } from '../providers/workers-ai/chat';
import type { UsageEvent } from '../contracts/queue-messages';
import { chatModels } from '../tasks/chat/models';

export interface Cost {
  cost_usd: number;
  neurons: number;
}

export const priceOf = (provider: ProviderId, model: string, units: number): Cost => costOf(chatModels, provider, model, units);

/**
 * Meters a streamed generation the way runTask meters every other call (runTask cannot run a
 * stream): one usage event under the step's request id, queued before the stream ends, and the
 * spend charged in the tenant's guard.
 */
export async function meterStream(ctx: TaskContext, answeredBy: { provider: ProviderId; model: string }, units: number, cost: Cost, cached = false): Promise<void> {
  const event: UsageEvent = {
    request_id: ctx.requestId,
    tenant_id: ctx.policy.tenantId,
    key_id: ctx.keyId,
    task: 'chat',
    model: answeredBy.model,
    provider: answeredBy.provider,
    cache_status: cached ? 'HIT' : 'MISS',
    cascade_step: null,
    items: 1,
    cached_items: cached ? 1 : 0,
    // Like runTask: a cached item bills no units; its baseline is still what the call would cost.
    units: cached ? 0 : units,
    cost_usd: cost.cost_usd,
    baseline_cost_usd: priceOf('workers-ai', WORKERS_AI_CHAT_MODEL, units).cost_usd,
    neurons: cost.neurons,
    latency_ms: Date.now() - ctx.startedAt,
    created_at: new Date().toISOString(),
  };
  await recordMetering(ctx, event);
}
