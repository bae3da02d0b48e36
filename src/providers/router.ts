import type { TenantPolicy } from '../durable-objects/policy';
import type { Bindings } from '../env';
import { ApiError } from '../errors';
import { providerStatus } from './status';
import { isProviderId, type ProviderId, type TaskProvider } from './types';

const DEFAULT_ORDER: ProviderId[] = ['workers-ai', 'huggingface', 'local'];
const DEFAULT_TIMEOUT_MS = 10_000;

export interface FailedAttempt {
  provider: ProviderId;
  code: string;
  message: string;
}

export interface RoutedResult<Result> {
  provider: TaskProvider<unknown, Result>;
  results: Result[];
  failed: FailedAttempt[];
}

function deploymentOrder(env: Bindings): ProviderId[] {
  const configured = (env.DEFAULT_PROVIDER_ORDER ?? '').split(',').map((id) => id.trim()).filter(isProviderId);
  return configured.length > 0 ? configured : DEFAULT_ORDER;
}

/**
 * The providers to try for a task, in order: the tenant's choice for that task, else the
 * deployment default; only those the task supports and that are configured here.
 */
export function providerChain<Item, Result>(
  env: Bindings,
  task: { name: string; providers: TaskProvider<Item, Result>[] },
  policy: TenantPolicy,
): TaskProvider<Item, Result>[] {
  const order = policy.providerOrder[task.name] ?? deploymentOrder(env);
  const chain = order
    .map((id) => task.providers.find((candidate) => candidate.provider === id))
    .filter((candidate): candidate is TaskProvider<Item, Result> => candidate !== undefined)
    .filter((candidate) => providerStatus(env, candidate.provider).active);
  if (chain.length === 0) {
    throw new ApiError(503, 'no_provider_available', `No configured provider can serve ${task.name} (tried: ${order.join(', ')}); see GET /healthz`);
  }
  return chain;
}

function timeoutMs(env: Bindings): number {
  const value = Number(env.PROVIDER_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_TIMEOUT_MS;
}

/**
 * Calls the chain in order, each under the provider timeout, and falls back to the next on any
 * upstream failure (timeout, 429, 5xx, bad shape, refused credentials). When every provider
 * fails, the last error is thrown, its message listing what each provider said.
 */
export async function callWithFallback<Item, Result>(
  env: Bindings,
  chain: TaskProvider<Item, Result>[],
  items: Item[],
): Promise<RoutedResult<Result>> {
  const failed: FailedAttempt[] = [];
  let lastError: ApiError | undefined;
  for (const candidate of chain) {
    try {
      const results = await candidate.run(env, items, AbortSignal.timeout(timeoutMs(env)));
      if (results.length !== items.length) {
        throw new ApiError(502, 'upstream_bad_response', `${candidate.provider} returned ${results.length} results for ${items.length} inputs`);
      }
      return { provider: candidate as TaskProvider<unknown, Result>, results, failed };
    } catch (error) {
      if (!(error instanceof ApiError) || error.status < 502) throw error;
      lastError = error;
      failed.push({ provider: candidate.provider, code: error.code, message: error.message });
    }
  }
  const summary = failed.map((attempt) => `${attempt.provider}: ${attempt.message}`).join('; ');
  throw new ApiError(lastError!.status, lastError!.code, failed.length > 1 ? `All providers failed — ${summary}` : lastError!.message, {
    headers: lastError!.headers,
  });
}
