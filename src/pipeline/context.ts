import type { Bindings } from '../contracts/env';
import type { TenantPolicy } from '../contracts/policy';
import type { Admission } from '../durable-objects/tenant-guard/tenant-guard';

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
  waitUntil(promise: Promise<unknown>): void;
}

/**
 * The one way a pipeline context is made, from an admitted request or job: the guard's policy
 * and reservation, and who is metered for it (`keyId`: the key, or the hook, that caused it).
 */
export function admittedContext(
  env: Bindings,
  admission: Pick<Admission, 'policy' | 'reservation'>,
  caller: { keyId: string; requestId: string; noCache: boolean; startedAt: number },
  waitUntil: (promise: Promise<unknown>) => void,
): TaskContext {
  return {
    env,
    policy: admission.policy!,
    ...caller,
    ...(admission.reservation ? { reservation: admission.reservation } : {}),
    waitUntil,
  };
}
