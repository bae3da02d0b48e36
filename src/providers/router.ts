import type { TaskConfig, TenantPolicy } from '../contracts/policy';
import type { Bindings } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { decryptSecret } from '../security/secrets';
import { enterCircuit, type CircuitPass } from './circuit-breaker';
import { providerStatus } from './status';
import type { HfEndpoint, TaskProvider } from './types';
import { isProviderId, type ProviderId } from '../contracts/provider-ids';

const DEFAULT_ORDER: ProviderId[] = ['workers-ai', 'huggingface', 'local'];
const DEFAULT_TIMEOUT_MS = 10_000;

/** One step of the plan: a provider mapping, the model it will run, and the tenant's endpoint. */
export interface PlannedProvider<Item, Result, Options> {
  mapping: TaskProvider<Item, Result, Options>;
  model: string;
  tenantEndpoint?: TaskConfig['huggingface_endpoint'];
}

export interface FailedAttempt {
  provider: ProviderId;
  code: string;
  message: string;
}

export interface RoutedResult<Item, Result, Options> {
  answeredBy: PlannedProvider<Item, Result, Options>;
  results: Result[];
  failed: FailedAttempt[];
}

/** The providers a task tries when the tenant has not chosen: DEFAULT_PROVIDER_ORDER, else workers-ai, huggingface, local. */
export function deploymentOrder(env: Bindings): ProviderId[] {
  const configured = (env.DEFAULT_PROVIDER_ORDER ?? '').split(',').map((id) => id.trim()).filter(isProviderId);
  return configured.length > 0 ? configured : DEFAULT_ORDER;
}

/** A tenant endpoint is named by its host when the tenant did not name the model. */
const endpointModel = (url: string) => `hf-endpoint:${new URL(url).host}${new URL(url).pathname.replace(/\/$/, '')}`;

/**
 * The providers to try for a task, in order: the tenant's order for that task, else the
 * deployment default; only those the task supports and that can run here (a tenant endpoint
 * makes Hugging Face available to that tenant even without a deployment HF_TOKEN).
 */
export function planProviders<Item, Result, Options>(
  env: Bindings,
  task: { name: string; providers: TaskProvider<Item, Result, Options>[] },
  policy: TenantPolicy,
): PlannedProvider<Item, Result, Options>[] {
  const config = policy.tasks[task.name] ?? {};
  const order = config.providers ?? deploymentOrder(env);
  const plan: PlannedProvider<Item, Result, Options>[] = [];
  for (const id of order) {
    const mapping = task.providers.find((candidate) => candidate.provider === id);
    if (!mapping || !runsHere(env, id, config)) continue;
    const tenantEndpoint = id === 'huggingface' ? config.huggingface_endpoint : undefined;
    const model = config.models?.[id] ?? (tenantEndpoint ? endpointModel(tenantEndpoint.url) : mapping.model);
    plan.push({ mapping, model, ...(tenantEndpoint ? { tenantEndpoint } : {}) });
  }
  if (plan.length === 0) {
    // Nothing was called: say why each provider in the order was passed over.
    const supported = task.providers.map((mapping) => mapping.provider);
    const model = (id: ProviderId) => (config.models?.[id] ? ` (for ${config.models[id]})` : '');
    const why = order.map((id) => `${id}${model(id)} ${supported.includes(id) ? 'is not configured here' : `does not serve ${task.name}`}`);
    // Not a passing fault: retrying cannot help until an operator configures a provider, and OpenAI's
    // SDKs retry every 503 unless told not to (`x-should-retry`, which they read before the status).
    throw new ApiError(503, 'no_provider_available', `No configured provider can serve ${task.name}: ${why.join(', ')} (the task runs on: ${supported.join(', ')}); see GET /healthz`, {
      headers: { 'x-should-retry': 'false' },
    });
  }
  return plan;
}

/** Whether a provider can be called here for a task: configured in this deployment, or the tenant's own Hugging Face endpoint. */
const runsHere = (env: Bindings, id: ProviderId, config: TaskConfig) => (id === 'huggingface' && config.huggingface_endpoint !== undefined) || providerStatus(env, id).active;

/** runsHere for a tenant's task: whether `id` can answer `task` for this tenant in this deployment. */
export const runsHereFor = (env: Bindings, id: ProviderId, policy: TenantPolicy, task: string) => runsHere(env, id, policy.tasks[task] ?? {});

/**
 * The providers the tenant's order for a task names, that the task runs on, but that planProviders
 * skips because they are not configured here (no Workers AI binding, no HF_TOKEN): what a cascade
 * asked to escalate to and cannot (pipeline/answer-misses.ts says so in the answer).
 */
export function unconfiguredProviders(env: Bindings, task: { name: string; providers: { provider: ProviderId }[] }, policy: TenantPolicy): ProviderId[] {
  const config = policy.tasks[task.name] ?? {};
  const order = config.providers ?? deploymentOrder(env);
  return order.filter((id) => task.providers.some((mapping) => mapping.provider === id) && !runsHere(env, id, config));
}

export function timeoutMs(env: Bindings): number {
  const value = Number(env.PROVIDER_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_TIMEOUT_MS;
}

/**
 * The circuit a step runs under: deployment upstreams only. The local tier runs in the Worker,
 * and a tenant's own endpoint is that tenant's business: its failures must not move other tenants
 * off the provider, so it is always called. Returns a pass to settle, or `circuit_open`.
 */
export function enterStepCircuit(env: Bindings, step: PlannedProvider<unknown, unknown, unknown>): CircuitPass | ApiError {
  if (step.mapping.provider === 'local' || step.tenantEndpoint) return { settle: () => {} };
  return enterCircuit(env, { provider: step.mapping.provider, model: step.model }, 2 * timeoutMs(env));
}

async function endpointFor(env: Bindings, tenantId: string, task: string, stored: PlannedProvider<unknown, unknown, unknown>['tenantEndpoint']): Promise<HfEndpoint | undefined> {
  if (!stored) return undefined;
  return { url: stored.url, token: await decryptSecret(env, stored.token_encrypted, `${tenantId}:${task}`) };
}

/**
 * Calls the plan in order, each under the provider timeout, and falls back to the next on any
 * upstream failure (timeout, 429, 5xx, bad shape, refused credentials) or open circuit. No
 * provider is called twice: the fallback is the retry, so one request makes at most one call per
 * provider in its plan and waits at most PROVIDER_TIMEOUT_MS for each. When every provider
 * fails, the last error is thrown, its message listing what each provider said.
 */
export async function callWithFallback<Item, Result, Options>(
  env: Bindings,
  scope: { tenantId: string; task: string },
  plan: PlannedProvider<Item, Result, Options>[],
  items: Item[],
  options: Options,
): Promise<RoutedResult<Item, Result, Options>> {
  const failed: FailedAttempt[] = [];
  let lastError: ApiError | undefined;
  for (const step of plan) {
    const circuit = enterStepCircuit(env, step as PlannedProvider<unknown, unknown, unknown>);
    if (circuit instanceof ApiError) {
      lastError = circuit;
      failed.push({ provider: step.mapping.provider, code: circuit.code, message: circuit.message });
      continue;
    }
    let outcome: unknown;
    try {
      const endpoint = await endpointFor(env, scope.tenantId, scope.task, step.tenantEndpoint);
      const results = await step.mapping.run({
        env,
        task: scope.task,
        items,
        options,
        signal: AbortSignal.timeout(timeoutMs(env)),
        model: step.model,
        ...(endpoint ? { endpoint } : {}),
      });
      if (results.length !== items.length) {
        throw new ApiError(502, 'upstream_bad_response', `${step.mapping.provider} returned ${results.length} results for ${items.length} inputs`);
      }
      return { answeredBy: step, results, failed };
    } catch (error) {
      outcome = error;
      if (!(error instanceof ApiError) || error.status < 502) throw error;
      lastError = error;
      failed.push({ provider: step.mapping.provider, code: error.code, message: error.message });
    } finally {
      circuit.settle(outcome);
    }
  }
  const summary = failed.map((attempt) => `${attempt.provider}: ${attempt.message}`).join('; ');
  throw new ApiError(lastError!.status, lastError!.code, failed.length > 1 ? `All providers failed — ${summary}` : lastError!.message, {
    headers: lastError!.headers,
  });
}
