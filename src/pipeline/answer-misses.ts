import type { Bindings } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { callWithFallback, type FailedAttempt, type PlannedProvider } from '../providers/router';
import type { ProviderId } from '../contracts/provider-ids';
import type { AnyTask, TaskWarning } from '../tasks/types';
import { namedList } from '../lib/named-list';

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

/** The cascade the tenant's plan for a task asks for: its threshold, and the providers named after local that are not configured here. */
export interface CascadeAsked {
  threshold: number;
  unconfigured: ProviderId[];
}

/**
 * Whether the plan runs a cascade: a threshold, a task whose results carry a confidence, the local
 * tier first, and something after it — a step to escalate to, or one asked for that is not
 * configured here (then the below-threshold items are kept as if every escalation failed). A
 * tenant who pinned the task to the local tier alone (a trained classifier's `["local"]`) has none.
 */
const cascades = (task: AnyTask, plan: Plan, asked: CascadeAsked | undefined): asked is CascadeAsked =>
  asked !== undefined && task.confidence !== undefined && plan[0]!.mapping.provider === 'local' && (plan.length > 1 || asked.unconfigured.length > 0);

/**
 * Answers the items the cache did not have. Without a cascade: the plan in order, falling back on
 * failure (only the first step's answers are cacheable; a fallback's are a stopgap). With one:
 * the local tier answers the items it is confident about, the rest escalate to the next steps —
 * and if every escalation fails, the local answers stand (not cached), so nothing is lost.
 */
export async function answerMisses(env: Bindings, scope: { tenantId: string; task: string }, task: AnyTask, plan: Plan, items: unknown[], options: unknown, asked: CascadeAsked | undefined): Promise<AnsweredItems> {
  if (!cascades(task, plan, asked)) {
    const routed = await callWithFallback(env, scope, plan, items, options);
    return { results: routed.results, steps: items.map(() => routed.answeredBy), cacheable: items.map(() => routed.answeredBy === plan[0]), failed: routed.failed };
  }

  const { threshold } = asked;
  const [local, ...escalation] = plan as [Plan[number], ...Plan];
  let localResults: unknown[];
  try {
    localResults = (await callWithFallback(env, scope, [local], items, options)).results;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status < 502 || escalation.length === 0) throw error;
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
  if (escalation.length === 0) {
    // Nowhere to escalate to here: as when every escalation fails, the local answers stand and are
    // not cached, so once a provider is configured these items escalate instead of hitting the cache.
    for (const index of unsure) cacheable[index] = false;
    report.answered.push({ provider: 'local', items: unsure.length, reason: `local confidence < ${threshold}, but no provider to escalate to is configured here (${asked.unconfigured.join(', ')})` });
    return { results, steps, cacheable, failed: [], cascade: report };
  }

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

export const CASCADE_UNAVAILABLE = 'cascade_unavailable';

/**
 * A `cascade_unavailable` warning when the plan asks for a cascade that has nowhere to go here
 * (every provider named after local is not configured in this deployment) and some of the
 * response's local answers are below the threshold: which results, the threshold, and the
 * providers asked for. Read from the response's results and who answered each (`providers`), so a
 * coalesced or cached local answer says it too (below-threshold answers are not cached, but one
 * cached before the tenant raised its threshold is below the new one).
 */
export function cascadeWarnings(task: AnyTask, plan: Plan, asked: CascadeAsked | undefined, results: unknown[], providers: ProviderId[]): TaskWarning[] {
  if (!cascades(task, plan, asked) || plan.length > 1) return [];
  const kept = results.flatMap((result, index) => (providers[index] === 'local' && task.confidence!(result) < asked.threshold ? [index] : []));
  if (kept.length === 0) return [];
  const named = namedList(kept.map(String));
  return [
    {
      code: CASCADE_UNAVAILABLE,
      message:
        `${kept.length === 1 ? 'Result' : 'Results'} ${named} ${kept.length === 1 ? 'is' : 'are'} the local tier's, below the cascade threshold ${asked.threshold}, ` +
        `and cannot escalate: ${asked.unconfigured.join(', ')} ${asked.unconfigured.length === 1 ? 'is' : 'are'} asked for but not configured in this deployment (see GET /healthz). ` +
        'These local answers are not cached: once a provider is configured they escalate.',
    },
  ];
}
