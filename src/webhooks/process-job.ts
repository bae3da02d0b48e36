import { admitBackground } from '../admission/background';
import { withHeldReservation } from '../pipeline/step-context';
import type { Bindings } from '../contracts/env';
import { ApiError, errorBody, type ErrorBody } from '../contracts/errors';
import { runTask, taskPlan, taskResolver, type TaskResolver } from '../pipeline/run-task';
import type { AnyTask } from '../tasks/types';
import type { TaskContext } from '../pipeline/context';
import { markReceiptQueued } from '../storage/webhook-receipts';
import { createJobDelivery } from '../storage/webhook-deliveries';
import { getHookById, type Hook, type HookTask } from '../storage/webhooks';
import { TASKS } from '../tasks/registry';
import { validationError } from '../contracts/validation';
import { sendDeliveryAttempt } from './deliver';
import { MAX_QUEUE_DELAY_SECONDS, type JobMessage } from '../contracts/queue-messages';
import { inputFields, valueAtPath } from './task-inputs';

/** How often a job refused by the tenant's rate limit or budget is put back before its refusal is delivered. */
export const MAX_JOB_DEFERRALS = 24;

/** A task's error in the one error shape (`type`, `code`, `message`, `param`, `request_id`). */
export type TaskError = ErrorBody;

/** The tenant's guard refused the job for now: put it back for `retryAfterSeconds`. */
class Deferral {
  constructor(readonly retryAfterSeconds: number) {}
}

/** A task's request id: its envelope's `id` and its usage record's key (deterministic, so a redelivered job meters each task once). */
const taskRequestId = (message: JobMessage, config: HookTask) => `${message.jobId}.${config.task}`;
const taskError = (message: JobMessage, config: HookTask, error: ApiError): TaskError => errorBody(error, taskRequestId(message, config));

/** The task's request from the payload, or why there is none (`input_missing`, `invalid_input`). */
function buildRequest(config: HookTask, payload: unknown): { request: unknown } | ApiError {
  const fields: Record<string, unknown> = {};
  for (const [field, path] of Object.entries(inputFields(config.task, config.input))) {
    const value = valueAtPath(payload, path);
    if (value === undefined || value === null) return new ApiError(400, 'input_missing', `The payload has no value at "${path}" (mapped to ${config.task}.${field})`, { param: path });
    fields[field] = value;
  }
  const candidate = { ...config.options, ...fields };
  const parsed = TASKS[config.task].api.request.safeParse(candidate);
  if (!parsed.success) {
    const error = validationError(parsed.error, candidate);
    return new ApiError(400, 'invalid_input', `The value mapped to ${config.task} is not a valid request: ${error.message}`, error.param === undefined ? {} : { param: error.param });
  }
  return { request: parsed.data };
}

/** The task that answers `request`, or the ApiError reading what it names gave, as the task's error. */
async function resolveOrError(resolve: TaskResolver, tenantId: string, task: AnyTask, request: unknown): Promise<AnyTask | ApiError> {
  try {
    return await resolve(tenantId, task, request);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
}

/** A task of the job ready to run: its request, and the task that answers it (a classifier it names, read once). */
type Built = { config: HookTask; request: unknown; resolved: AnyTask };

/**
 * Admits the whole job through the tenant's TenantGuard, as one request reserving the most its
 * tasks can cost together: a job takes one rate-limit token, and is refused (then deferred)
 * before any task runs, never halfway. The hook stands in for the API key: usage by key shows it,
 * and no key revocation can stop it.
 */
async function admitJob(env: Bindings, ctx: ExecutionContext, hook: Hook, message: JobMessage, runnable: Built[]) {
  // Priced by the guard on the tenant's plan for each task — a task the tenant runs locally costs
  // $0 — as what answers it: a neural classifier on its embedding model's provider, whatever the plan.
  const plans = runnable.map(({ request, resolved }) => taskPlan(env, resolved, request));
  return admitBackground(env, { tenantId: hook.tenantId, keyId: hook.id, requestId: message.jobId, plans }, (promise) => ctx.waitUntil(promise));
}

async function runOne(context: TaskContext, message: JobMessage, { config, request, resolved }: Built): Promise<unknown> {
  try {
    // Deterministic per task: a redelivered job meters each task once (usage events are keyed by request id).
    // What admission priced answers it, not read again.
    const { envelope } = await runTask({ ...context, requestId: taskRequestId(message, config), resolvedTask: resolved }, TASKS[config.task], request);
    const present = TASKS[config.task].api.presentResults;
    return present ? { ...envelope, results: present(envelope.results) } : envelope;
  } catch (error) {
    if (error instanceof ApiError) return taskError(message, config, error);
    console.error(JSON.stringify({ level: 'error', job_id: message.jobId, task: config.task, error: String(error) }));
    return taskError(message, config, new ApiError(500, 'internal_error', 'The task failed unexpectedly'));
  }
}

/** Every task's envelope or error, keyed by task name; throws Deferral when the guard refuses for now. */
async function runTasks(env: Bindings, ctx: ExecutionContext, message: JobMessage, hook: Hook): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  const runnable: Built[] = [];
  const resolve = taskResolver(env);
  for (const config of hook.tasks) {
    const built = buildRequest(config, message.payload);
    if (built instanceof ApiError) results[config.task] = taskError(message, config, built);
    else {
      // A classifier the task names is read before the job is priced; one it cannot use (404, 409)
      // is that task's error, as the single call answers it, and the task is neither priced nor run.
      const resolved = await resolveOrError(resolve, hook.tenantId, TASKS[config.task], built.request);
      if (resolved instanceof ApiError) results[config.task] = taskError(message, config, resolved);
      else runnable.push({ config, request: built.request, resolved });
    }
  }
  if (runnable.length === 0) return results;
  const { admission, context } = await admitJob(env, ctx, hook, message, runnable);
  if (!context) {
    const refusedForNow = admission.outcome === 'rate_limited' || admission.outcome === 'budget_exhausted';
    if (refusedForNow && message.deferrals < MAX_JOB_DEFERRALS) throw new Deferral(admission.retryAfterSeconds);
    const why = refusedForNow
      ? `Refused ${message.deferrals + 1} times by the tenant's ${admission.outcome === 'rate_limited' ? 'rate limit' : 'budget'}; it resets at ${new Date(Date.now() + admission.retryAfterSeconds * 1000).toISOString()}`
      : `The tenant could not be admitted (${admission.outcome})`;
    const refusal = (status: 402 | 429 | 503, code: string) => new ApiError(status, code, why);
    const error = refusedForNow ? refusal(admission.outcome === 'rate_limited' ? 429 : 402, admission.outcome) : refusal(503, 'tenant_unavailable');
    for (const { config } of runnable) results[config.task] = taskError(message, config, error);
    return results;
  }
  // One reservation covers every task until all are done; each task charges what it cost.
  const outcomes = await withHeldReservation(context, (steps) => Promise.all(runnable.map((built) => runOne(steps, message, built))));
  runnable.forEach(({ config }, index) => (results[config.task] = outcomes[index]));
  // In the order the hook lists its tasks.
  return Object.fromEntries(hook.tasks.map(({ task }) => [task, results[task]]));
}

export function resultDeliveryId(jobId: string): string {
  return `msg_${jobId.replace(/^job_/, '')}`;
}

/**
 * Consumes one inbound job: runs every configured task, then creates (once) the signed result
 * delivery and queues its first attempt. A refusal by rate limit or budget puts the whole job
 * back with the guard's Retry-After, up to MAX_JOB_DEFERRALS times; then the refusal is delivered.
 */
export async function processJob(env: Bindings, ctx: ExecutionContext, message: JobMessage): Promise<void> {
  const hook = await getHookById(env.DB, message.hookId);
  if (!hook) return; // deleted since: nothing to deliver to
  await markReceiptQueued(env.DB, hook.id, message.receiptKey ?? message.deliveryKey);
  let results: Record<string, unknown>;
  try {
    results = await runTasks(env, ctx, message, hook);
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
