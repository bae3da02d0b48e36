import type { TenantLimits, TenantPolicy } from '../../contracts/policy';
import type { ProviderId } from '../../contracts/provider-ids';

/** Money and Workers AI neurons, as reserved before a call and charged after it. */
export interface Amount {
  usd: number;
  neurons: number;
}

/** What the tenant has been charged this UTC day and month. */
export interface Spend {
  day: string;
  month: string;
  dayUsd: number;
  monthUsd: number;
  dayNeurons: number;
}

export type BudgetCap = 'daily_usd' | 'monthly_usd' | 'daily_neurons';

export interface BudgetRefusal {
  cap: BudgetCap;
  limit: number;
  /** Nothing left at all (vs. this request's estimate not fitting in what is left). */
  exhausted: boolean;
  resetSeconds: number;
}

export const ZERO: Amount = { usd: 0, neurons: 0 };
export const add = (a: Amount, b: Amount): Amount => ({ usd: a.usd + b.usd, neurons: a.neurons + b.neurons });
/** The most any one of `amounts` can cost, dollars and neurons each (ZERO for none). */
export const dearest = (amounts: Amount[]): Amount => ({ usd: Math.max(0, ...amounts.map((a) => a.usd)), neurons: Math.max(0, ...amounts.map((a) => a.neurons)) });

/** One task request's cost on each provider that can serve it in this deployment (pipeline's estimateByProvider). */
export type ProviderEstimates = Partial<Record<ProviderId, Amount>>;

/**
 * A task request priced on the tenant's own plan: the dearest provider the tenant runs the task on
 * (its order for the task, else every provider that can serve the request here), a tenant's own
 * Hugging Face endpoint at $0 (billed to the tenant by the hour, not by minnow). Here rather than
 * in the Worker because the guard always holds the tenant's current policy: a request is never
 * priced on a stale plan. A plan with no provider able to serve prices at $0: the call will fail.
 * A `steered` request names where it runs (embed's `model`, a neural classifier's embedding
 * model): the pipeline runs it there whatever the tenant's order or endpoint (the task's
 * planPolicy), so it is priced on the providers that can serve it alone — on the tenant's order
 * it would price at $0 for a tenant that runs the task locally, and spend unreserved.
 */
export function plannedEstimate(policy: TenantPolicy, plan: { task: string; providers: ProviderEstimates; steered?: boolean }): Amount {
  if (plan.steered) return dearest(Object.values(plan.providers));
  const config = policy.tasks[plan.task] ?? {};
  const order = config.providers ?? (Object.keys(plan.providers) as ProviderId[]);
  return dearest(order.map((provider) => (provider === 'huggingface' && config.huggingface_endpoint ? ZERO : (plan.providers[provider] ?? ZERO))));
}

export function periodsOf(nowMs: number): { day: string; month: string } {
  const iso = new Date(nowMs).toISOString();
  return { day: iso.slice(0, 10), month: iso.slice(0, 7) };
}

/** A new UTC day or month starts from zero. */
export function rollSpend(spend: Spend, nowMs: number): Spend {
  const { day, month } = periodsOf(nowMs);
  return {
    day,
    month,
    dayUsd: spend.day === day ? spend.dayUsd : 0,
    dayNeurons: spend.day === day ? spend.dayNeurons : 0,
    monthUsd: spend.month === month ? spend.monthUsd : 0,
  };
}

export function secondsUntilReset(cap: BudgetCap, nowMs: number): number {
  const now = new Date(nowMs);
  const next = cap === 'monthly_usd'
    ? Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)
    : Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.ceil((next - nowMs) / 1000);
}

/**
 * Whether `estimate` may be reserved on top of what is spent and already reserved. Refusing any
 * request whose estimate does not fit is what makes a burst unable to overspend: the estimate is
 * an upper bound, and the caller reserves it before calling a provider. A cap the estimate adds
 * nothing to does not refuse it, even when spent (or zero): a request only the $0 local tier can
 * serve runs under a zero budget, and a Hugging Face request is not stopped by a neuron cap.
 */
export function checkBudget(limits: TenantLimits, spend: Spend, reserved: Amount, estimate: Amount, nowMs: number): BudgetRefusal | null {
  const caps: [BudgetCap, number | null | undefined, number, number, number][] = [
    ['daily_usd', limits.daily_budget_usd, spend.dayUsd, reserved.usd, estimate.usd],
    ['monthly_usd', limits.monthly_budget_usd, spend.monthUsd, reserved.usd, estimate.usd],
    ['daily_neurons', limits.daily_budget_neurons, spend.dayNeurons, reserved.neurons, estimate.neurons],
  ];
  for (const [cap, limit, spent, held, wanted] of caps) {
    if (limit === null || limit === undefined || !(wanted > 0)) continue;
    const exhausted = spent >= limit;
    if (exhausted || spent + held + wanted > limit) return { cap, limit, exhausted, resetSeconds: secondsUntilReset(cap, nowMs) };
  }
  return null;
}

/** The caps whose soft limit `after` has crossed and `before` had not. */
export function softLimitsCrossed(limits: TenantLimits, before: Spend, after: Spend): BudgetCap[] {
  const ratio = limits.soft_limit_ratio;
  if (ratio === null || ratio === undefined) return [];
  const crossed: BudgetCap[] = [];
  const check = (cap: BudgetCap, limit: number | null | undefined, was: number, now: number) => {
    if (limit !== null && limit !== undefined && limit > 0 && was < limit * ratio && now >= limit * ratio) crossed.push(cap);
  };
  check('daily_usd', limits.daily_budget_usd, before.dayUsd, after.dayUsd);
  check('monthly_usd', limits.monthly_budget_usd, before.monthUsd, after.monthUsd);
  check('daily_neurons', limits.daily_budget_neurons, before.dayNeurons, after.dayNeurons);
  return crossed;
}
