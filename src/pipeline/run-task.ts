import { costOf, maxCostOf } from '../providers/pricing';
import { planProviders, timeoutMs, unconfiguredProviders, type FailedAttempt } from '../providers/router';
import { providerStatus } from '../providers/status';
import { LOCAL_TIER_REVISION } from '../providers/local/revision';
import type { Bindings } from '../contracts/env';
import type { TenantPolicy } from '../contracts/policy';
import { dearest, type Amount, type ProviderEstimates } from '../durable-objects/tenant-guard/budget';
import type { TaskPlanEstimate } from '../durable-objects/tenant-guard/tenant-guard';
import { singleFlight } from './single-flight';
import { answerMisses, cascadeWarnings, type AnsweredItems, type CascadeAsked, type CascadeReport } from './answer-misses';
import type { ProviderId } from '../contracts/provider-ids';
import { cacheKey, keepInMemory, readCached, writeCached, type CachedResult } from '../storage/response-cache';
import type { AnyTask } from '../tasks/types';
import type { TaskContext } from './context';
import { recordMetering, settle } from './metering';

export type CacheStatus = 'HIT' | 'MISS' | 'PARTIAL' | 'COALESCED';

export interface TaskEnvelope<Result> {
  id: string;
  task: string;
  model: string;
  provider: ProviderId;
  results: Result[];
  cached: boolean;
  fallback_from?: { provider: string; code: string }[];
  cascade?: CascadeReport;
  warnings?: { code: string; message: string }[];
  usage: { items: number; cached_items: number; coalesced_items?: number; units: number; cost_usd: number; neurons?: number };
}

export interface TaskOutcome<Result> {
  envelope: TaskEnvelope<Result>;
  cacheStatus: CacheStatus;
}

/**
 * The one way a task runs, whichever door it came through (HTTP route, webhook job, chat turn):
 * per-item cache lookup → provider routing with fallback for the misses → cache fill → metering.
 * Admission has already happened; the caller owns it.
 */
export async function runTask<Result>(ctx: TaskContext, task: AnyTask, input: unknown): Promise<TaskOutcome<Result>> {
  try {
    // Admission may have resolved it already, to price what answers.
    const resolved = ctx.resolvedTask ?? (await resolveTask(ctx.env, ctx.policy.tenantId, task, input));
    const planned = resolved.planPolicy ? { ...ctx, policy: planningPolicy(ctx.env, resolved, ctx.policy, input) } : ctx;
    return await runAndMeter<Result>(planned, resolved, input);
  } catch (error) {
    // A failed request costs nothing; its reservation must not hold budget until it expires.
    settle(ctx, 0, 0);
    throw error;
  }
}

/**
 * What one request can cost on each provider that can serve it: configured in this deployment
 * (Workers AI binding, HF_TOKEN) and able to take this input (embed's `model` names its provider);
 * every item at the provider's dearest model — including a tenant's own uncatalogued one — so a
 * reservation of it is never exceeded. The local tier is $0. Providers absent here cannot be
 * called (a tenant's own Hugging Face endpoint can, but is billed to the tenant: $0 to minnow).
 * The TenantGuard prices a request on the tenant's plan from this (plannedEstimate).
 */
export function estimateByProvider(env: Bindings, task: AnyTask, input: unknown): ProviderEstimates {
  const options = task.options(input);
  const units = (task.items(input) as unknown[]).reduce<number>((sum, item) => sum + task.units(item, options), 0);
  const servable = task.servedBy?.(input);
  const estimates: ProviderEstimates = {};
  for (const { provider } of task.providers) {
    if (!providerStatus(env, provider).active || (servable && !servable.includes(provider))) continue;
    const { cost_usd, neurons } = maxCostOf(task.models.filter((model) => model.provider === provider), [provider], units);
    estimates[provider] = { usd: cost_usd, neurons };
  }
  return estimates;
}

/** A request as admission prices it: per provider that can serve it, and whether its input chose the provider. */
export function taskPlan(env: Bindings, task: AnyTask, input: unknown): TaskPlanEstimate {
  return { task: task.name, providers: estimateByProvider(env, task, input), ...(task.servedBy?.(input) ? { steered: true } : {}) };
}

/** The policy a resolved task is planned under: its own (a neural classifier: its embedding model's provider) or the tenant's. */
export function planningPolicy(env: Bindings, resolved: AnyTask, policy: TenantPolicy, input: unknown): TenantPolicy {
  return resolved.planPolicy ? resolved.planPolicy(env, policy, input) : policy;
}

/**
 * Refuses a request no provider can serve here before anything is accepted: the router's 503
 * `no_provider_available`, under the same plan runTask would use. For doors that accept work to
 * run later (a batch), which would otherwise fail it item by item.
 */
export function refuseUnservable(env: Bindings, resolved: AnyTask, policy: TenantPolicy, input: unknown): void {
  planProviders(env, resolved, planningPolicy(env, resolved, policy, input));
}

/**
 * The task that answers `input`: a request naming something the tenant owns (classify's
 * `classifier`) is answered by what it names, read from the tenant's storage.
 */
export async function resolveTask(env: Bindings, tenantId: string, task: AnyTask, input: unknown): Promise<AnyTask> {
  return (await task.resolve?.(env, tenantId, input)) ?? task;
}

/** resolveTask for many inputs of one request or job: see taskResolver. */
export type TaskResolver = (tenantId: string, task: AnyTask, input: unknown) => Promise<AnyTask>;

/**
 * resolveTask for the many inputs of one request or job (a batch's items, a webhook job's
 * tasks), reading each thing they name once (`names`): a thousand items naming one classifier
 * read it once, and a failed read (404, 409) is the answer for every input naming it. Kept for
 * that request or job only: a classifier retrained or deleted later is read afresh by the next.
 */
export function taskResolver(env: Bindings): TaskResolver {
  const reads = new Map<string, Promise<AnyTask>>();
  return (tenantId, task, input) => {
    const named = task.names?.(input);
    if (named === undefined) return resolveTask(env, tenantId, task, input);
    const key = JSON.stringify([tenantId, task.name, named]);
    let read = reads.get(key);
    if (!read) reads.set(key, (read = resolveTask(env, tenantId, task, input)));
    return read;
  };
}

/**
 * What admission reserves before the call when the tenant's plan is not at hand (webhook jobs,
 * chat turns, knowledge-base embedding): the dearest provider that can serve the request here, so
 * concurrent requests cannot together spend past a budget. A request only the local tier can
 * serve estimates $0, and no budget refuses it.
 */
export function estimateCost(env: Bindings, task: AnyTask, input: unknown): Amount {
  return dearest(Object.values(estimateByProvider(env, task, input)));
}

async function runAndMeter<Result>(ctx: TaskContext, task: AnyTask, input: unknown): Promise<TaskOutcome<Result>> {
  const { env } = ctx;
  const items: unknown[] = task.items(input);
  const plan = planProviders(env, task, ctx.policy);
  const primary = plan[0]!;
  const options = task.options(input);
  const keys = await Promise.all(
    items.map((item) =>
      cacheKey({ scope: `tenant:${ctx.policy.tenantId}`, task: task.name, model: cachedModelOf(primary), item: task.canonicalItem(item), options }),
    ),
  );
  // Local-tier answers live in the isolate's memory only (response-cache.ts says why): a plan only
  // the local tier answers has nothing in KV to read.
  const localOnly = plan.every((step) => step.mapping.provider === 'local');
  const cached: (CachedResult | null)[] = ctx.noCache ? items.map(() => null) : await readCached(env.CACHE, keys, { kv: !localOnly });
  const missing = cached.flatMap((entry, index) => (entry ? [] : [index]));

  let answeredBy: { provider: ProviderId; model: string } = cached[0]
    ? { provider: cached[0].provider as ProviderId, model: cached[0].model }
    : { provider: primary.mapping.provider, model: primary.model };
  const results = cached.map((entry) => entry?.result) as Result[];
  // Who answered each item: a cascade that cannot escalate names the local answers it kept.
  const providers = cached.map((entry) => entry?.provider as ProviderId);
  const threshold = ctx.policy.tasks[task.name]?.cascade?.threshold;
  const asked: CascadeAsked | undefined = threshold === undefined ? undefined : { threshold, unconfigured: unconfiguredProviders(env, task, ctx.policy) };
  let cost = { cost_usd: 0, neurons: 0 };
  let units = 0;

  let computed = 0;
  let coalesced = 0;
  const failed: FailedAttempt[] = [];
  let cascade: CascadeReport | undefined;
  if (missing.length > 0) {
    const scope = { tenantId: ctx.policy.tenantId, task: task.name };
    const cachedAt = new Date().toISOString();
    const flight = await singleFlight(
      env,
      {
        tenantId: ctx.policy.tenantId,
        keys: missing.map((index) => keys[index]!),
        // The local tier is free and fast: coordinating across isolates would cost more than it saves.
        crossIsolate: plan.some((step) => step.mapping.provider !== 'local'),
        ttlMs: timeoutMs(env) * plan.length + 1_000,
      },
      (positions) => answerMisses(env, scope, task, plan, positions.map((position) => items[missing[position]!]), options, asked),
      (answer) => answer.results.map((result, k) => ({ result, model: answer.steps[k]!.model, provider: answer.steps[k]!.mapping.provider, cached_at: cachedAt })),
    );
    const fresh: { key: string; value: CachedResult }[] = [];
    let last: AnsweredItems['steps'][number] | undefined;
    flight.coalesced.forEach((entry, position) => {
      if (!entry) return;
      results[missing[position]!] = entry.result as Result;
      providers[missing[position]!] = entry.provider as ProviderId;
      coalesced++;
    });
    for (const { positions, answer } of flight.own) {
      failed.push(...answer.failed);
      cascade = mergeCascade(cascade, answer.cascade);
      positions.forEach((position, k) => {
        const index = missing[position]!;
        const step = answer.steps[k]!;
        const itemUnits = task.units(items[index], options);
        results[index] = answer.results[k] as Result;
        providers[index] = step.mapping.provider;
        units += itemUnits;
        computed++;
        // A tenant's own endpoint is billed to the tenant by the hour, not per call by minnow.
        if (!step.tenantEndpoint) cost = add(cost, costOf(task.models, step.mapping.provider, step.model, itemUnits));
        if (answer.cacheable[k]) fresh.push({ key: keys[index]!, value: { result: results[index], model: step.model, provider: step.mapping.provider, cached_at: cachedAt } });
        // The envelope names the most capable step that answered: the escalation, when there was one.
        if (!last || plan.indexOf(step) > plan.indexOf(last)) last = step;
      });
    }
    const firstCoalesced = flight.coalesced.find((entry) => entry !== null);
    if (last) answeredBy = { provider: last.mapping.provider, model: last.model };
    else if (firstCoalesced) answeredBy = { provider: firstCoalesced.provider as ProviderId, model: firstCoalesced.model };
    const fromUpstream = fresh.filter((entry) => entry.value.provider !== 'local');
    keepInMemory(fresh.filter((entry) => entry.value.provider === 'local'), task.cacheTtlSeconds);
    if (fromUpstream.length > 0) ctx.waitUntil(writeCached(env.CACHE, fromUpstream, task.cacheTtlSeconds));
  }

  const baselineCostUsd = baselineCost(task, items, options);
  // Only the request that called the provider says MISS; one answered entirely by another's call says COALESCED.
  const cacheStatus: CacheStatus = missing.length === 0 ? 'HIT' : computed === 0 ? 'COALESCED' : computed === items.length ? 'MISS' : 'PARTIAL';
  const warnings = [...((await task.warnings?.(options, answeredBy.provider, results, items, env)) ?? []), ...cascadeWarnings(task, plan, asked, results, providers)];
  const envelope: TaskEnvelope<Result> = {
    id: ctx.requestId,
    task: task.name,
    model: answeredBy.model,
    provider: answeredBy.provider,
    results,
    cached: cacheStatus === 'HIT',
    ...(failed.length > 0 ? { fallback_from: failed.map(({ provider, code }) => ({ provider, code })) } : {}),
    ...(cascade ? { cascade } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
    usage: {
      items: items.length,
      cached_items: items.length - missing.length,
      ...(coalesced > 0 ? { coalesced_items: coalesced } : {}),
      units,
      cost_usd: cost.cost_usd,
      ...(cost.neurons > 0 ? { neurons: cost.neurons } : {}),
    },
  };
  await meter(ctx, envelope, cacheStatus, baselineCostUsd);
  return { envelope, cacheStatus };
}

/** The model part of a cache key: a local-tier answer also names the code that gave it (LOCAL_TIER_REVISION). */
const cachedModelOf = (step: { mapping: { provider: ProviderId }; model: string }) =>
  step.mapping.provider === 'local' ? `local/${step.model}@${LOCAL_TIER_REVISION}` : `${step.mapping.provider}/${step.model}`;

function mergeCascade(a: CascadeReport | undefined, b: CascadeReport | undefined): CascadeReport | undefined {
  if (!a || !b) return a ?? b;
  return { threshold: a.threshold, answered: [...a.answered, ...b.answered] };
}

const add = (a: { cost_usd: number; neurons: number }, b: { cost_usd: number; neurons: number }) => ({ cost_usd: a.cost_usd + b.cost_usd, neurons: a.neurons + b.neurons });

/**
 * What the request would have cost calling the task's default neural model for every item, with
 * no cache and no local tier: Workers AI's default model, else Hugging Face's. What minnow saved
 * is this minus what it charged. Zero for tasks only the local tier serves.
 */
function baselineCost(task: AnyTask, items: unknown[], options: unknown): number {
  const neural = task.providers.find((mapping) => mapping.provider === 'workers-ai') ?? task.providers.find((mapping) => mapping.provider !== 'local');
  if (!neural) return 0;
  const units = items.reduce<number>((sum, item) => sum + task.units(item, options), 0);
  return costOf(task.models, neural.provider, neural.model, units).cost_usd;
}

async function meter(ctx: TaskContext, envelope: TaskEnvelope<unknown>, cacheStatus: CacheStatus, baselineCostUsd: number): Promise<void> {
  await recordMetering(ctx, {
    task: envelope.task,
    model: envelope.model,
    provider: envelope.provider,
    cacheStatus,
    cascadeStep: envelope.cascade ? envelope.cascade.answered.map((step) => step.provider).join(',') : null,
    items: envelope.usage.items,
    cachedItems: envelope.usage.cached_items,
    units: envelope.usage.units,
    costUsd: envelope.usage.cost_usd,
    neurons: envelope.usage.neurons ?? 0,
    baselineCostUsd,
  });
}
