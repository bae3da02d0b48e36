import type { Bindings } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { callWithFallback, type FailedAttempt, type PlannedProvider } from '../providers/router';
import type { ProviderId } from '../contracts/provider-ids';
import type { AnyTask } from '../tasks/types';

/** What the cascade did for one request, as the envelope reports it. */
export interface CascadeReport {
  threshold: number;
  /** Providers that answered, in cascade order, with how many items and why. */
  answered: { provider: ProviderId; items: number; reason: string }[];
}

export interface AnsweredItems {
  results: unknown[];
  /** Per item: the plan step that answered it. */
  steps: PlannedProvider<unknown, unknown, unknown>[];
  /** Per item: whether it is the tenant's intended answer, so it may be cached. */
  cacheable: boolean[];
  failed: FailedAttempt[];
  cascade?: CascadeReport;
}

type Plan = PlannedProvider<unknown, unknown, unknown>[];

/**
 * Answers the items the cache did not have. Without a cascade: the plan in order, falling back on
 * failure (only the first step's answers are cacheable; a fallback's are a stopgap). With one:
 * the local tier answers the items it is confident about, the rest escalate to the next steps —
 * and if every escalation fails, the local answers stand (not cached), so nothing is lost.
 */
export async function answerMisses(env: Bindings, scope: { tenantId: string; task: string }, task: AnyTask, plan: Plan, items: unknown[], options: unknown, threshold: number | undefined): Promise<AnsweredItems> {
  const cascading = threshold !== undefined && task.confidence !== undefined && plan.length > 1 && plan[0]!.mapping.provider === 'local';
  if (!cascading) {
    const routed = await callWithFallback(env, scope, plan, items, options);
    return { results: routed.results, steps: items.map(() => routed.answeredBy), cacheable: items.map(() => routed.answeredBy === plan[0]), failed: routed.failed };
  }

  const [local, ...escalation] = plan as [Plan[number], ...Plan];
  let localResults: unknown[];
  try {
    localResults = (await callWithFallback(env, scope, [local], items, options)).results;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status < 502) throw error;
    const routed = await callWithFallback(env, scope, escalation, items, options);
    const failed = [{ provider: local.mapping.provider, code: error.code, message: error.message }, ...routed.failed];
    return { results: routed.results, steps: items.map(() => routed.answeredBy), cacheable: items.map(() => false), failed };
  }

  const unsure = localResults.flatMap((result, index) => (task.confidence!(result) >= threshold ? [] : [index]));
  const results = [...localResults];
  const steps: Plan = items.map(() => local);
  const cacheable = items.map(() => true);
  const report: CascadeReport = { threshold, answered: [] };
  const confidentCount = items.length - unsure.length;
  if (confidentCount > 0) report.answered.push({ provider: 'local', items: confidentCount, reason: `local confidence ≥ ${threshold}` });
  if (unsure.length === 0) return { results, steps, cacheable, failed: [], cascade: report };

  try {
    const routed = await callWithFallback(env, scope, escalation, unsure.map((index) => items[index]), options);
    unsure.forEach((index, position) => {
      results[index] = routed.results[position];
      steps[index] = routed.answeredBy;
      cacheable[index] = routed.answeredBy === escalation[0];
    });
    report.answered.push({ provider: routed.answeredBy.mapping.provider, items: unsure.length, reason: `local confidence < ${threshold}` });
    return { results, steps, cacheable, failed: routed.failed, cascade: report };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status < 502) throw error;
    for (const index of unsure) cacheable[index] = false;
    report.answered.push({ provider: 'local', items: unsure.length, reason: `local confidence < ${threshold}, but escalation failed (${error.code})` });
    const failed = [{ provider: escalation[escalation.length - 1]!.mapping.provider, code: error.code, message: error.message }];
    return { results, steps, cacheable, failed, cascade: report };
  }
}
