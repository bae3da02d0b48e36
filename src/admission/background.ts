import { guardFor } from '../durable-objects/tenant-guard/client';
import type { Admission, TaskPlanEstimate } from '../durable-objects/tenant-guard/tenant-guard';
import type { Amount } from '../durable-objects/tenant-guard/budget';
import type { Bindings } from '../contracts/env';
import { admittedContext, type TaskContext } from '../pipeline/context';

/**
 * Admission for work that arrives on a queue instead of a request (knowledge-base ingestion,
 * webhook jobs): the same TenantGuard decision as an API call, so background work is limited and
 * billed exactly like it, metered to `keyId` (the key, or the hook, that caused it). The caller
 * decides what a refusal means for its job (wait, defer, or record it); the cost is an estimate, or
 * tasks' per-provider estimates the guard prices on the tenant's plan (see plannedEstimate); `context` is set only when
 * admitted, with the reservation the caller holds for its steps (see holdReservation).
 */
export async function admitBackground(
  env: Bindings,
  job: { tenantId: string; keyId: string; requestId: string } & ({ estimate: Amount } | { plans: TaskPlanEstimate[] }),
  waitUntil: (promise: Promise<unknown>) => void,
): Promise<{ admission: Admission; context: TaskContext | null }> {
  const startedAt = Date.now();
  const cost = 'plans' in job ? { plans: job.plans } : { estimate: job.estimate };
  const admission = await guardFor(env, job.tenantId).admit({ tenantId: job.tenantId, keyId: job.keyId, spends: true, ...cost });
  if (admission.outcome !== 'admitted') return { admission, context: null };
  return { admission, context: admittedContext(env, admission, { keyId: job.keyId, requestId: job.requestId, noCache: false, startedAt }, waitUntil) };
}
