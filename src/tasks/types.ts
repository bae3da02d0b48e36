import type { z } from '@hono/zod-openapi';
import type { Bindings } from '../contracts/env';
import type { TenantPolicy } from '../contracts/policy';
import type { ProviderId } from '../contracts/provider-ids';
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
  /**
   * What the provider that answered cannot do for this request, said in the envelope's `warnings`
   * rather than hidden in a plausible answer (the local tier finds no names; its similarity is
   * lexical; it read only the start of a text). Read on every response, cached or not, from the
   * request's items. May be async: the English-only check asks the language detector, which loads
   * on first use (tasks/english-only.ts); `env` reaches the local word vectors (tasks/known-words.ts).
   */
  warnings?(options: Options, provider: ProviderId, results: Result[], items: Item[], env: Bindings): TaskWarning[] | Promise<TaskWarning[]>;
  /**
   * The tenant's policy as one request should see it, when the request itself steers the plan
   * (embed's `model`). The pipeline applies it, so every door (route, webhook, knowledge base)
   * plans alike.
   */
  planPolicy?(env: Bindings, policy: TenantPolicy, input: Input): TenantPolicy;
  /**
   * For a request that names something the tenant owns (classify's `classifier`): the task that
   * answers it, read from the tenant's storage — or an ApiError (404 unknown, 409 not ready).
   * Undefined: this task answers. The pipeline calls it first, so every door resolves alike.
   */
  resolve?(env: Bindings, tenantId: string, input: Input): Promise<AnyTask | undefined>;
  /**
   * What `resolve` reads for this input (classify's `classifier`), undefined when it reads nothing:
   * inputs naming the same thing resolve alike, so many of them (a batch chunk's items, a webhook
   * job's tasks) read it once (pipeline's taskResolver).
   */
  names?(input: Input): string | undefined;
  /**
   * The only providers that can serve this input, whatever the tenant's plan (embed's `model` runs
   * on the provider that serves it); absent = any. Admission prices a request on these alone.
   */
  servedBy?(input: Input): ProviderId[] | undefined;
  /** How callers see the task; absent for internal tasks (chat generation) that have no route. */
  api?: TaskApi;
}

/** A caveat about an answer: a stable code and a sentence for people. */
export interface TaskWarning {
  code: string;
  message: string;
}

/** A task as every door presents it: the HTTP route, webhook jobs and the OpenAPI document read this. */
export interface TaskApi {
  summary: string;
  description: string;
  request: z.ZodObject;
  response: z.ZodTypeAny;
  /** The request field a webhook's `input: "<payload path>"` fills. */
  primaryField: string;
  /** A valid value for each mapped field, to check a webhook's options when the hook is configured. */
  sample: Record<string, unknown>;
  /**
   * For single-item tasks whose answer is itself a list (rerank's ranking): turns the pipeline's
   * one-result-per-item array into the envelope's `results`. Default: unchanged.
   */
  presentResults?: (results: unknown[]) => unknown[];
}

// The pipeline treats every task alike; the wide type only erases the per-task generics there.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTask = TaskDefinition<any, any, any, any>;
/** A task with a public API (a route of its own): the ones in the registry. */
export type PublicTaskDefinition<Input, Item, Result, Options = Record<string, never>> = TaskDefinition<Input, Item, Result, Options> & { api: TaskApi };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PublicTask = PublicTaskDefinition<any, any, any, any>;
