import { guardFor } from '../durable-objects/guard-client';
import type { Bindings } from '../env';
import type { TaskContext } from './run-task';

export type BackgroundAdmission =
  | { outcome: 'admitted'; context: TaskContext }
  /** Try again later (rate limit): nothing is lost, the job waits. */
  | { outcome: 'retry'; retryAfterSeconds: number }
  /** Will not run (budget spent, key revoked, tenant gone): record why. */
  | { outcome: 'refused'; reason: string };

/**
 * Admission for work that arrives on a queue instead of a request (knowledge-base ingestion,
 * webhook jobs): the same TenantGuard decision as an API call, so background work is limited and
 * billed exactly like it, metered to the key that caused it.
 */
export async function admitBackground(
  env: Bindings,
  job: { tenantId: string; keyId: string; requestId: string; estimate: { usd: number; neurons: number } },
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<BackgroundAdmission> {
  const admission = await guardFor(env, job.tenantId).admit({ tenantId: job.tenantId, keyId: job.keyId, spends: true, estimate: job.estimate });
  switch (admission.outcome) {
    case 'admitted':
      return {
        outcome: 'admitted',
        context: {
          env,
          policy: admission.policy!,
          keyId: job.keyId,
          requestId: job.requestId,
          noCache: false,
          startedAt: Date.now(),
          ...(admission.reservation ? { reservation: admission.reservation } : {}),
          waitUntil,
        },
      };
    case 'rate_limited':
      return { outcome: 'retry', retryAfterSeconds: Math.max(1, admission.retryAfterSeconds) };
    case 'budget_exhausted':
      return { outcome: 'refused', reason: 'budget_exhausted: the tenant budget is spent' };
    case 'key_revoked':
      return { outcome: 'refused', reason: 'key_revoked: the key that uploaded this was revoked' };
    case 'unknown_tenant':
      return { outcome: 'refused', reason: 'unknown_tenant' };
  }
}
