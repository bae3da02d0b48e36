import type { Bindings } from '../contracts/env';
import type { TenantPolicy } from '../contracts/policy';
import type { UsageEvent } from '../contracts/queue-messages';
import type { Admission } from '../durable-objects/tenant-guard/tenant-guard';
import type { AnyTask } from '../tasks/types';

/** Who is asking and how: everything the pipeline needs, and nothing about HTTP. */
export interface TaskContext {
  env: Bindings;
  policy: TenantPolicy;
  keyId: string;
  requestId: string;
  /** Skip cache reads (the fresh answer still refreshes the cache). */
  noCache: boolean;
  startedAt: number;
  /** The budget reservation admission made for this request; settled by the pipeline. */
  reservation?: string;
  /** The task that answers, when admission read it to price the request (a trained classifier): not read twice. */
  resolvedTask?: AnyTask;
  /** Set when the request was admitted from the isolate's lease: it is settled and metered there, not per request. */
  lease?: LeaseAccount;
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * One request's share of a lease (admission/leases.ts): what it reserved is released and what it
 * cost charged inside the lease, and its usage event travels with the lease when it is handed back.
 */
export interface LeaseAccount {
  /** Called once, when the request is done: its actual cost, and its usage event (null when it failed). */
  finish(actual: { usd: number; neurons: number }, event: UsageEvent | null): void;
}

/**
 * The one way a pipeline context is made, from an admitted request or job: the guard's policy
 * and reservation, and who is metered for it (`keyId`: the key, or the hook, that caused it).
 */
export function admittedContext(
  env: Bindings,
  admission: Pick<Admission, 'policy' | 'reservation'> & { lease?: LeaseAccount },
  caller: { keyId: string; requestId: string; noCache: boolean; startedAt: number },
  waitUntil: (promise: Promise<unknown>) => void,
): TaskContext {
  return {
    env,
    policy: admission.policy!,
    ...caller,
    ...(admission.reservation ? { reservation: admission.reservation } : {}),
    ...(admission.lease ? { lease: admission.lease } : {}),
    waitUntil,
  };
}
