import type { CatalogModel } from '../providers/pricing';
import type { TaskProvider } from '../providers/types';

/**
 * One AI task, independent of HTTP: how a validated request splits into items (each cached and
 * billed on its own), what else changes the answer, and which providers can serve it.
 */
export interface TaskDefinition<Input, Item, Result, Options = Record<string, never>> {
  name: string;
  cacheTtlSeconds: number;
  items(input: Input): Item[];
  /** Canonical form of one item, as it goes into the cache key. */
  canonicalItem(item: Item): unknown;
  /** Request options that change every item's result (also part of the cache key). */
  options(input: Input): Options;
  /** Billable units of one item, in the unit of the models' prices. */
  units(item: Item, options: Options): number;
  providers: TaskProvider<Item, Result, Options>[];
  /** Every model the providers can run for this task, with prices (listed by GET /v1/models). */
  models: CatalogModel[];
  /**
   * How sure a result is (0–1), for the cascade: local answers at or above the tenant's threshold
   * stand, the rest escalate. Tasks without it cannot cascade.
   */
  confidence?(result: Result): number;
  /** The cascade threshold a tenant gets when it turns the cascade on without choosing one. */
  defaultCascadeThreshold?: number;
}

// The pipeline treats every task alike; the wide type only erases the per-task generics there.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTask = TaskDefinition<any, any, any, any>;
