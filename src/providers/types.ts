import type { Bindings } from '../env';

export const PROVIDER_IDS = ['workers-ai', 'huggingface', 'local'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

/**
 * The one provider interface: a task's mapping onto one provider's model. Every task lists one
 * per provider that can serve it (`tasks/<task>/providers.ts`), and every one of them passes the
 * same contract suite (test/providers.contract.test.ts).
 *
 * `run` returns exactly one result per item, in order, or throws an `ApiError` with status
 * 502/503/504 describing the upstream failure; the router falls back on those.
 */
export interface TaskProvider<Item, Result> {
  provider: ProviderId;
  /** Catalog id of the model this mapping calls (see providers/catalog.ts for its price). */
  model: string;
  run(env: Bindings, items: Item[], signal: AbortSignal): Promise<Result[]>;
}
