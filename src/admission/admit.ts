import type { Context } from 'hono';
import { guardFor } from '../durable-objects/tenant-guard/client';
import type { TenantPolicy } from '../contracts/policy';
import type { Admission, TaskPlanEstimate, VisitorAdmission } from '../durable-objects/tenant-guard/tenant-guard';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { resolveTask, taskPlan } from '../pipeline/run-task';
import { dearest, type Amount } from '../durable-objects/tenant-guard/budget';
import { admittedContext, type TaskContext } from '../pipeline/context';
import type { AnyTask } from '../tasks/types';
import { findKey, type AuthenticatedKey } from '../storage/api-keys';
import type { KeyScope } from '../contracts/scopes';
import { ACCOUNT_DATA, BATCHES, MANAGING, refuseSecretKeyInBrowser, secretKeyRequired } from './browser-keys';
import { admitFromLease, settleReturns } from './leases';
import { identifyVisitor } from './visitors';

function rateLimitHeaders(admission: Pick<Admission, 'limit' | 'remaining' | 'resetSeconds'>): Record<string, string> {
  return {
    'RateLimit-Limit': String(admission.limit),
    'RateLimit-Remaining': String(admission.remaining),
    'RateLimit-Reset': String(admission.resetSeconds),
  };
}

/** A publishable key works only from the origins its tenant listed (CORS headers ride on the 403). */
export function checkOrigin(c: Context<AppEnv>, key: AuthenticatedKey): void {
  if (key.kind !== 'publishable') return;
  const origin = c.req.header('origin');
  if (!origin) {
    throw new ApiError(403, 'origin_not_allowed', 'Publishable keys (pk_…) work only from the web pages of their allowed origins, and this request has no Origin header; servers use a secret key (sk_…)');
  }
  if (origin === 'null') {
    // file:// pages, sandboxed frames and some redirects send this; no key can list it.
    throw new ApiError(403, 'origin_not_allowed', 'This request comes from a page with an opaque origin ("null": a file:// page or a sandboxed frame); serve the page over http(s) from an origin listed on the key');
  }
  if (!key.origins.includes(origin)) {
    throw new ApiError(403, 'origin_not_allowed', `This publishable key is not allowed from origin ${origin}; add "${origin}" to the key's origins (POST /admin/tenants/:id/keys, origins)`);
  }
}

function checkKeyMayRun(c: Context<AppEnv>, key: AuthenticatedKey, scope: KeyScope): void {
  checkOrigin(c, key);
  checkScope(key, scope);
}

function checkScope(key: AuthenticatedKey, scope: KeyScope): void {
  if (!key.scopes.includes('*') && !key.scopes.includes(scope)) {
    throw new ApiError(403, 'scope_not_allowed', `This API key may not call ${scope}; its scopes are ${key.scopes.join(', ')}`);
  }
}

/**
 * Managing the tenant's resources (knowledge bases, bots, classifiers, webhooks) and reading bots
 * and webhooks (their deliveries hold what they were sent) needs a key of every scope: a key limited
 * to some tasks must not reconfigure what runs other tasks, or read what they were sent.
 */
function checkEveryScope(key: AuthenticatedKey): void {
  if (!key.scopes.includes('*')) {
    throw new ApiError(403, 'scope_not_allowed', `Managing knowledge bases, bots, classifiers and webhooks, and reading bots and webhooks, needs a key with every scope (*); this key's scopes are ${key.scopes.join(', ')}`);
  }
}


const CAP_NAMES = { daily_usd: 'daily budget of $', monthly_usd: 'monthly budget of $', daily_neurons: 'daily Workers AI budget of ' } as const;

function budgetMessage(admission: Admission): string {
  const budget = admission.budget ?? { cap: 'daily_usd' as const, limit: admission.policy?.limits.daily_budget_usd ?? 0, exhausted: true };
  const unit = budget.cap === 'daily_neurons' ? ' neurons' : '';
  const resetsAt = new Date(Date.now() + admission.retryAfterSeconds * 1000).toISOString();
  const what = `${CAP_NAMES[budget.cap]}${budget.limit}${unit}`;
  return budget.exhausted
    ? `The ${what} is spent; it resets at ${resetsAt}`
    : `This request's estimated cost does not fit in what is left of the ${what} (it resets at ${resetsAt}); send fewer items or try later`;
}

function rateLimitMessage(admission: Admission, visitor: VisitorAdmission | undefined): string {
  const retry = `retry after ${Math.max(1, admission.retryAfterSeconds)} s`;
  // Both numbers: the rate (the bucket refills at rpm) and the burst (its size, what RateLimit-Limit shows).
  return admission.limitedBy === 'visitor' && visitor
    ? `This visitor's rate limit of ${visitor.limits.rpm} requests per minute exceeded, with bursts of up to ${visitor.limits.burst} (RateLimit-Limit is the burst; each visitor of a publishable key has its own, and so does each IP address, which every visitor token used from it shares); ${retry}`
    : `Rate limit of ${admission.policy?.limits.rpm} requests per minute exceeded, with bursts of up to ${admission.policy?.limits.burst} (RateLimit-Limit is the burst); ${retry}`;
}

export async function authenticate(c: Context<AppEnv>): Promise<AuthenticatedKey> {
  refuseSecretKeyInBrowser(c, c.get('presentedKey'));
  const key = await findKey(c.env, c.get('presentedKey'));
  if (!key) throw new ApiError(401, 'invalid_api_key', 'The API key is not valid');
  return key;
}

/** The one Durable Object RPC: throws the right error unless admitted, sets RateLimit-* headers. */
export async function admit(c: Context<AppEnv>, key: AuthenticatedKey, spends: boolean, estimate?: { usd: number; neurons: number }, visitor?: VisitorAdmission): Promise<Admission> {
  return enforce(c, await askGuard(c, key, { spends, ...(estimate ? { estimate } : {}), ...(visitor ? { visitor } : {}) }), visitor);
}

/** What the guard is asked: whether the request spends, its estimate (or a task's, to price on the tenant's plan), its visitor. */
type Ask = { spends: boolean; estimate?: Amount; plans?: TaskPlanEstimate[]; visitor?: VisitorAdmission };

async function askGuard(c: Context<AppEnv>, key: AuthenticatedKey, ask: Ask): Promise<Admission> {
  try {
    return await guardFor(c.env, key.tenantId).admit({ tenantId: key.tenantId, keyId: key.id, ...ask });
  } catch (error) {
    // Nobody can say whether this request fits the tenant's limits: refuse it, retryably, rather
    // than admit unmetered. Requests an isolate's current lease covers are still admitted until it ends.
    console.error(JSON.stringify({ level: 'error', request_id: c.get('requestId'), tenant_id: key.tenantId, error: `admission failed: ${String(error)}` }));
    throw new ApiError(503, 'admission_unavailable', 'Admission is unavailable for a moment (the rate-limit service did not answer); retry shortly', { headers: { 'Retry-After': '1' } });
  }
}

/** The error a refused admission answers with, with its headers; null when admitted. */
export function refusalError(admission: Admission, visitor?: VisitorAdmission): ApiError | null {
  switch (admission.outcome) {
    case 'key_revoked':
      return new ApiError(401, 'invalid_api_key', 'The API key has been revoked');
    case 'unknown_tenant':
      return new ApiError(401, 'invalid_api_key', 'The API key belongs to no tenant');
    case 'rate_limited':
      return new ApiError(429, 'rate_limited', rateLimitMessage(admission, visitor), {
        headers: { ...rateLimitHeaders(admission), 'Retry-After': String(Math.max(1, admission.retryAfterSeconds)) },
      });
    case 'budget_exhausted':
      return new ApiError(402, 'budget_exhausted', budgetMessage(admission), {
        headers: { ...rateLimitHeaders(admission), 'Retry-After': String(admission.retryAfterSeconds) },
      });
    case 'admitted':
      return null;
  }
}

/** Throws the refusal's error, or sets the RateLimit-* headers of an admitted request. */
function enforce(c: Context<AppEnv>, admission: Admission, visitor?: VisitorAdmission): Admission {
  const refused = refusalError(admission, visitor);
  if (refused) throw refused;
  for (const [name, value] of Object.entries(rateLimitHeaders(admission))) c.header(name, value);
  return admission;
}

/** The pipeline's context for an admitted request (by the guard or from a lease): tenant policy, key, reservation or lease, no HTTP. */
function taskContext(c: Context<AppEnv>, key: AuthenticatedKey, admission: Parameters<typeof admittedContext>[1], startedAt: number): TaskContext {
  const noCache = /\bno-(cache|store)\b/i.test(c.req.header('cache-control') ?? '');
  return admittedContext(c.env, admission, { keyId: key.id, requestId: c.get('requestId'), noCache, startedAt }, (promise) => c.executionCtx.waitUntil(promise));
}

/**
 * Authenticates the key, checks it may run `task`, and admits the request — from this isolate's
 * lease while the tenant is far from its caps (no I/O at all: keys are remembered in the isolate),
 * else through the tenant's TenantGuard (one Durable Object RPC). Sets the RateLimit-* headers and
 * returns the pipeline's context. Browser visitors are always admitted by the guard: their own
 * buckets live there.
 */
export async function admitTask(c: Context<AppEnv>, task: AnyTask, input: unknown): Promise<TaskContext> {
  const startedAt = Date.now();
  const key = await authenticate(c);
  checkKeyMayRun(c, key, task.name as KeyScope);
  // A request naming a trained classifier is priced as that classifier answers (a neural one calls
  // its embedding model whatever the tenant's classify plan); the pipeline is handed what was read.
  const resolved = task.resolve ? await resolveTask(c.env, key.tenantId, task, input) : task;
  const admitted = await admitResolved(c, key, taskPlan(c.env, resolved, input), startedAt);
  return resolved === task ? admitted : { ...admitted, resolvedTask: resolved };
}

/**
 * Admits one priced task request: per provider that can serve it here, the guard prices it on the
 * tenant's plan; a lease, which does not look at plans, reserves the dearest.
 */
async function admitResolved(c: Context<AppEnv>, key: AuthenticatedKey, plan: TaskPlanEstimate, startedAt: number): Promise<TaskContext> {
  const estimate = dearest(Object.values(plan.providers));
  // Publishable keys' visitors have their buckets in the guard; an exact key asked never to be leased.
  const fromLease = () => (key.kind === 'secret' && !key.exactAdmission ? leasedContext(c, key, estimate, startedAt) : null);
  const leased = fromLease();
  if (leased) return leased;
  const visitor = key.kind === 'publishable' ? await identifyVisitor(c, key) : undefined;
  const ask: Ask = { spends: true, plans: [plan], ...(visitor ? { visitor } : {}) };
  let admission = await askGuard(c, key, ask);
  // Refused while capacity of this tenant's was held in this isolate: a lease granted meanwhile is
  // used, and tokens a lease was handing back are waited for and asked for again — held here, they
  // would otherwise be stranded.
  if (admission.outcome === 'rate_limited' || admission.outcome === 'budget_exhausted') {
    const late = fromLease();
    if (late) return late;
    if (!visitor && (await settleReturns(key.tenantId))) admission = await askGuard(c, key, ask);
  }
  return taskContext(c, key, enforce(c, admission, visitor), startedAt);
}

function leasedContext(c: Context<AppEnv>, key: AuthenticatedKey, estimate: { usd: number; neurons: number }, startedAt: number): TaskContext | null {
  const leased = admitFromLease(c.env, { tenantId: key.tenantId, keyId: key.id, estimate }, (promise) => c.executionCtx.waitUntil(promise));
  if (!leased) return null;
  for (const [name, value] of Object.entries(rateLimitHeaders(leased))) c.header(name, value);
  return taskContext(c, key, leased, startedAt);
}

/**
 * The same admission for operations that are not one task (a chat turn, a knowledge-base search):
 * `scope` is what the key must allow, `estimate` the most the operation can cost.
 */
export async function admitScoped(c: Context<AppEnv>, scope: KeyScope, estimate: { usd: number; neurons: number }): Promise<TaskContext> {
  const startedAt = Date.now();
  const key = await authenticate(c);
  checkKeyMayRun(c, key, scope);
  const visitor = key.kind === 'publishable' ? await identifyVisitor(c, key) : undefined;
  const admission = await admit(c, key, true, estimate, visitor);
  return taskContext(c, key, admission, startedAt);
}

/**
 * For managing the tenant's resources (knowledge bases, their documents, bots): a secret key
 * with every scope, admitted like any request; `estimate` reserves what the change can cost
 * (embedding an uploaded document) — the caller holds and releases that reservation.
 */
export async function admitManagement(c: Context<AppEnv>, estimate?: { usd: number; neurons: number }): Promise<TaskContext> {
  const startedAt = Date.now();
  const key = await authenticate(c);
  if (key.kind !== 'secret') throw secretKeyRequired(MANAGING);
  checkEveryScope(key);
  // Without an estimate the change costs nothing: rate-limited, not refused for a spent budget, no reservation.
  const admission = await admit(c, key, estimate !== undefined, estimate);
  return taskContext(c, key, admission, startedAt);
}

/**
 * For account requests that spend nothing (usage, the tenant's resources, conversations): a secret
 * key of the tenant, rate-limited like any request, but never refused for a spent budget — that is
 * when a tenant most needs to look. `needs`: `*` for the tenant's resources (checkEveryScope), or
 * the operation whose data it is (conversations are chat's); none for usage.
 */
export async function admitAccountRequest(c: Context<AppEnv>, needs?: KeyScope | '*'): Promise<{ key: AuthenticatedKey; policy: TenantPolicy }> {
  const key = await authenticate(c);
  if (key.kind !== 'secret') throw secretKeyRequired(ACCOUNT_DATA);
  if (needs === '*') checkEveryScope(key);
  else if (needs) checkScope(key, needs);
  const admission = await admit(c, key, false);
  return { key, policy: admission.policy! };
}

/**
 * For batch jobs (docs/batches.md): a secret key — a batch runs unattended for a long time, which
 * no browser page should start — rate-limited like any request. Creating one (`creating`: its
 * task, which the key must be allowed to run, and its first input) is refused while the budget
 * cannot pay for that one item — a batch accepted only to fail every item would be half-done;
 * the one-item reservation is released at once, since each chunk reserves its own cost as it runs.
 * The first item is priced as what it names answers (`first.resolve`: a neural classifier calls its
 * embedding model whatever the tenant's classify plan), read through the batch's own resolver so
 * the batch's later check of every item does not read it again. Reading and cancelling is never
 * refused for a spent budget.
 */
export async function admitBatchRequest(
  c: Context<AppEnv>,
  creating?: { task: AnyTask; first?: { input: unknown; resolve(tenantId: string): Promise<AnyTask> } },
): Promise<{ key: AuthenticatedKey; policy: TenantPolicy }> {
  const key = await authenticate(c);
  if (key.kind !== 'secret') throw secretKeyRequired(BATCHES);
  if (!creating) return { key, policy: (await admit(c, key, false)).policy! };
  checkScope(key, creating.task.name as KeyScope);
  // An invalid first item is refused by validation next; without it, admitted as before (rate limit only).
  const first = creating.first;
  const plans = first ? [taskPlan(c.env, await first.resolve(key.tenantId), first.input)] : undefined;
  const admission = enforce(c, await askGuard(c, key, { spends: true, ...(plans ? { plans } : {}) }));
  if (admission.reservation) await guardFor(c.env, key.tenantId).settle(admission.reservation, { usd: 0, neurons: 0 });
  return { key, policy: admission.policy! };
}
