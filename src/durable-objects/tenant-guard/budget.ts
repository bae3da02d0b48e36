import type { TenantLimits } from '../../contracts/policy';

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
 * an upper bound, and the caller reserves it before calling a provider.
 */
export function checkBudget(limits: TenantLimits, spend: Spend, reserved: Amount, estimate: Amount, nowMs: number): BudgetRefusal | null {
  const caps: [BudgetCap, number | null | undefined, number, number, number][] = [
    ['daily_usd', limits.daily_budget_usd, spend.dayUsd, reserved.usd, estimate.usd],
    ['monthly_usd', limits.monthly_budget_usd, spend.monthUsd, reserved.usd, estimate.usd],
    ['daily_neurons', limits.daily_budget_neurons, spend.dayNeurons, reserved.neurons, estimate.neurons],
  ];
  for (const [cap, limit, spent, held, wanted] of caps) {
    if (limit === null || limit === undefined) continue;
    const exhausted = spent >= limit;
    if (exhausted || (wanted > 0 && spent + held + wanted > limit)) return { cap, limit, exhausted, resetSeconds: secondsUntilReset(cap, nowMs) };
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
