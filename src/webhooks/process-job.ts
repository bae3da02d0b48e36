import { guardFor } from '../durable-objects/guard-client';
import type { Bindings } from '../env';
import { ApiError } from '../errors';
import { estimateCost, runTask, type TaskContext } from '../pipeline/run-task';
import { markReceiptQueued } from '../storage/webhook-receipts';
import { createJobDelivery } from '../storage/webhook-deliveries';
import { getHookById } from '../storage/webhooks';
import { TASKS } from '../tasks/registry';
import { validationError } from '../validation';
import { sendDeliveryAttempt } from './deliver';
import { MAX_QUEUE_DELAY_SECONDS, type JobMessage } from './messages';
import { inputFields, TASK_REQUESTS, valueAtPath } from './task-inputs';
import type { Hook, HookTask } from './types';

/** How often a job refused by the tenant's rate limit or budget is put back before its refusal is delivered. */
export const MAX_JOB_DEFERRALS = 24;

export type TaskError = { error: { code: string; message: string; param?: string } };

/** The tenant's guard refused the job for now: put it back for `retryAfterSeconds`. */
class Deferral {
  constructor(
    readonly code: 'rate_limited' | 'budget_exhausted',
    readonly retryAfterSeconds: number,
  ) {}
}

const taskError = (code: string, message: string, param?: string): TaskError => ({ error: { code, message, ...(param ? { param } : {}) } });

/** The task's request from the payload, or why there is none (`input_missing`, `invalid_input`). */
function buildRequest(config: HookTask, payload: unknown): { request: unknown } | TaskError {
  const fields: Record<string, unknown> = {};
  for (const [field, path] of Object.entries(inputFields(config.task, config.input))) {
    const value = valueAtPath(payload, path);
    if (value === undefined || value === null) return taskError('input_missing', `The payload has no value at "${path}" (mapped to ${config.task}.${field})`, path);
    fields[field] = value;
  }
  const candidate = { ...config.options, ...fields };
  const parsed = TASK_REQUESTS[config.task].schema.safeParse(candidate);
  if (!parsed.success) {
    const error = validationError(parsed.error, candidate);
    return taskError('invalid_input', `The value mapped to ${config.task} is not a valid request: ${error.message}`, error.param);
  }
  return { request: parsed.data };
}

/** One task through admission (the tenant's TenantGuard) and runTask: billed and limited like an API call. */
async function runConfiguredTask(env: Bindings, ctx: ExecutionContext, message: JobMessage, hook: Hook, config: HookTask, lastChance: boolean): Promise<unknown> {
  const built = buildRequest(config, message.payload);
  if ('error' in built) return built;
  const task = TASKS[config.task];
  const startedAt = Date.now();
  // The hook stands in for the API key: usage by key shows it, and no key revocation can stop it.
  const admission = await guardFor(env, hook.tenantId).admit({ tenantId: hook.tenantId, keyId: hook.id, spends: true, estimate: estimateCost(task, built.request) });
  if (admission.outcome === 'rate_limited' || admission.outcome === 'budget_exhausted') {
    if (!lastChance) throw new Deferral(admission.outcome, admission.retryAfterSeconds);
    const resetsAt = new Date(Date.now() + admission.retryAfterSeconds * 1000).toISOString();
    return taskError(admission.outcome, `Refused ${MAX_JOB_DEFERRALS + 1} times by the tenant's ${admission.outcome === 'rate_limited' ? 'rate limit' : 'budget'}; it resets at ${resetsAt}`);
  }
  if (admission.outcome !== 'admitted') return taskError('tenant_unavailable', `The tenant could not be admitted (${admission.outcome})`);
  const context: TaskContext = {
    env,
    policy: admission.policy!,
    keyId: hook.id,
    // Deterministic: a redelivered job meters each task once (usage events are keyed by request id).
    requestId: `${message.jobId}.${config.task}`,
    noCache: false,
    startedAt,
    ...(admission.reservation ? { reservation: admission.reservation } : {}),
    waitUntil: (promise) => ctx.waitUntil(promise),
  };
  try {
    const { envelope } = await runTask(context, task, built.request);
    const present = TASK_REQUESTS[config.task].present;
    return present ? { ...envelope, results: present(envelope.results) } : envelope;
  } catch (error) {
    if (error instanceof ApiError) return taskError(error.code, error.message);
    console.error(JSON.stringify({ level: 'error', job_id: message.jobId, task: config.task, error: String(error) }));
    return taskError('internal_error', 'The task failed unexpectedly');
  }
}

export function resultDeliveryId(jobId: string): string {
  return `msg_${jobId.replace(/^job_/, '')}`;
}

/**
 * Consumes one inbound job: runs every configured task, then creates (once) the signed result
 * delivery and queues its first attempt. A refusal by rate limit or budget puts the whole job
 * back with the guard's Retry-After; finished tasks are then cache hits, metered once.
 */
export async function processJob(env: Bindings, ctx: ExecutionContext, message: JobMessage): Promise<void> {
  const hook = await getHookById(env.DB, message.hookId);
  if (!hook) return; // deleted since: nothing to deliver to
  await markReceiptQueued(env.DB, hook.id, message.deliveryKey);
  const lastChance = message.deferrals >= MAX_JOB_DEFERRALS;
  const results: Record<string, unknown> = {};
  try {
    for (const config of hook.tasks) results[config.task] = await runConfiguredTask(env, ctx, message, hook, config, lastChance);
  } catch (error) {
    if (!(error instanceof Deferral)) throw error;
    const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(1, error.retryAfterSeconds));
    await env.JOBS.send({ ...message, deferrals: message.deferrals + 1 }, { delaySeconds });
    return;
  }
  const id = resultDeliveryId(message.jobId);
  const createdAt = new Date().toISOString();
  const body = JSON.stringify({ type: 'webhook.result', id, hook_id: hook.id, job_id: message.jobId, source_delivery_id: message.deliveryKey, results, created_at: createdAt });
  const { delivery, created } = await createJobDelivery(env.DB, {
    id,
    tenant_id: hook.tenantId,
    hook_id: hook.id,
    type: 'webhook.result',
    job_id: message.jobId,
    source_delivery_id: message.deliveryKey,
    notification_id: null,
    body,
    created_at: createdAt,
  });
  // A redelivered job re-queues the first attempt only if it may have been lost; the lease stops doubles.
  if (created || (delivery.status === 'pending' && delivery.series_attempts === 0)) await sendDeliveryAttempt(env, delivery);
}
