import type { Context } from 'hono';
import { guardFor } from '../durable-objects/guard-client';
import type { TenantPolicy } from '../durable-objects/policy';
import type { Admission } from '../durable-objects/tenant-guard';
import type { AppEnv } from '../env';
import { ApiError } from '../errors';
import type { TaskContext } from '../pipeline/run-task';
import { findKey, type AuthenticatedKey } from '../storage/api-keys';

function rateLimitHeaders(admission: Admission): Record<string, string> {
  return {
    'RateLimit-Limit': String(admission.limit),
    'RateLimit-Remaining': String(admission.remaining),
    'RateLimit-Reset': String(admission.resetSeconds),
  };
}

function checkKeyMayRun(c: Context<AppEnv>, key: AuthenticatedKey, task: string): void {
  if (key.kind === 'publishable') {
    const origin = c.req.header('origin');
    if (!origin || !key.origins.includes(origin)) {
      throw new ApiError(403, 'origin_not_allowed', `This publishable key is not allowed from origin ${origin ?? '(none)'}; add it to the key's origins`);
    }
  }
  if (!key.scopes.includes('*') && !key.scopes.includes(task)) {
    throw new ApiError(403, 'scope_not_allowed', `This API key may not call ${task}`);
  }
}

async function authenticate(c: Context<AppEnv>): Promise<AuthenticatedKey> {
  const key = await findKey(c.env, c.get('presentedKey'));
  if (!key) throw new ApiError(401, 'invalid_api_key', 'The API key is not valid');
  return key;
}

/** The one Durable Object RPC: throws the right error unless admitted, sets RateLimit-* headers. */
async function admit(c: Context<AppEnv>, key: AuthenticatedKey, spends: boolean): Promise<Admission> {
  const admission = await guardFor(c.env, key.tenantId).admit({ tenantId: key.tenantId, keyId: key.id, spends });
  switch (admission.outcome) {
    case 'key_revoked':
      throw new ApiError(401, 'invalid_api_key', 'The API key has been revoked');
    case 'unknown_tenant':
      throw new ApiError(401, 'invalid_api_key', 'The API key belongs to no tenant');
    case 'rate_limited':
      throw new ApiError(429, 'rate_limited', `Rate limit of ${admission.policy?.limits.rpm} requests per minute exceeded; retry after ${admission.retryAfterSeconds} s`, {
        headers: { ...rateLimitHeaders(admission), 'Retry-After': String(Math.max(1, admission.retryAfterSeconds)) },
      });
    case 'budget_exhausted':
      throw new ApiError(402, 'budget_exhausted', `The daily budget of $${admission.policy?.limits.daily_budget_usd} is spent; it resets at 00:00 UTC`, {
        headers: { ...rateLimitHeaders(admission), 'Retry-After': String(admission.retryAfterSeconds) },
      });
    case 'admitted':
      break;
  }
  for (const [name, value] of Object.entries(rateLimitHeaders(admission))) c.header(name, value);
  return admission;
}

/**
 * Authenticates the key, checks it may run `task`, and admits the request through the tenant's
 * TenantGuard — at most one KV read (usually none: keys are remembered in the isolate) and one
 * Durable Object RPC. Sets the RateLimit-* headers and returns the pipeline's context.
 */
export async function admitTask(c: Context<AppEnv>, task: string): Promise<TaskContext> {
  const startedAt = Date.now();
  const key = await authenticate(c);
  checkKeyMayRun(c, key, task);
  const admission = await admit(c, key, true);
  return {
    env: c.env,
    policy: admission.policy!,
    keyId: key.id,
    requestId: c.get('requestId'),
    noCache: /\bno-(cache|store)\b/i.test(c.req.header('cache-control') ?? ''),
    startedAt,
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
  };
}

/**
 * For account reads (usage, dashboards): a secret key of the tenant, rate-limited like any
 * request, but never refused for a spent budget — that is when a tenant most needs to look.
 */
export async function admitAccountRequest(c: Context<AppEnv>): Promise<{ key: AuthenticatedKey; policy: TenantPolicy }> {
  const key = await authenticate(c);
  if (key.kind !== 'secret') throw new ApiError(403, 'secret_key_required', 'Account data needs a secret key (sk_…); publishable keys only run tasks');
  const admission = await admit(c, key, false);
  return { key, policy: admission.policy! };
}
