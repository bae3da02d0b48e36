import { recordMetering } from '../pipeline/metering';
import type { TaskContext } from '../pipeline/context';
import { costOf } from '../providers/pricing';
import type { ProviderId } from '../contracts/provider-ids';
import { WORKERS_AI_CHAT_MODEL } from '../providers/workers-ai/chat';
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
  await recordMetering(ctx, {
    task: 'chat',
    model: answeredBy.model,
    provider: answeredBy.provider,
    cacheStatus: cached ? 'HIT' : 'MISS',
    cascadeStep: null,
    items: 1,
    cachedItems: cached ? 1 : 0,
    // Like runTask: a cached item bills no units; its baseline is still what the call would cost.
    units: cached ? 0 : units,
    costUsd: cost.cost_usd,
    neurons: cost.neurons,
    baselineCostUsd: priceOf('workers-ai', WORKERS_AI_CHAT_MODEL, units).cost_usd,
  });
}
