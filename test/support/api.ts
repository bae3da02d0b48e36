import { env, SELF } from 'cloudflare:test';
import type { TenantLimits } from '../../src/contracts/policy';

export const ADMIN = { authorization: 'Bearer dev-admin-token' };

export function call(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  return SELF.fetch(`https://minnow.test${path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
}

export async function json<T = any>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

export interface TestTenant {
  id: string;
  key: string;
  keyId: string;
  auth: Record<string, string>;
}

/** Sets how a tenant's task is served (PUT /admin/tenants/:id/tasks/:task); fails the test on error. */
export async function configureTask(tenantId: string, task: string, config: Record<string, unknown>): Promise<any> {
  const response = await call(`/admin/tenants/${tenantId}/tasks/${task}`, { method: 'PUT', headers: ADMIN, body: config });
  const body = await json(response);
  if (response.status !== 200) throw new Error(`configuring ${task} failed: ${JSON.stringify(body)}`);
  return body;
}

/** A new tenant with one secret key, through the admin API as an operator would. */
export async function createTenant(
  options: { limits?: Partial<TenantLimits>; providerOrder?: Record<string, string[]>; scopes?: string[] } = {},
): Promise<TestTenant> {
  const tenant = await json(
    await call('/admin/tenants', {
      headers: ADMIN,
      body: { name: `test-${crypto.randomUUID()}`, limits: { rpm: 6000, burst: 1000, daily_budget_usd: 100, ...options.limits } },
    }),
  );
  for (const [task, providers] of Object.entries(options.providerOrder ?? {})) await configureTask(tenant.id, task, { providers });
  const issued = await json(await call(`/admin/tenants/${tenant.id}/keys`, { headers: ADMIN, body: { kind: 'secret', ...(options.scopes ? { scopes: options.scopes } : {}) } }));
  return { id: tenant.id, key: issued.key, keyId: issued.id, auth: { authorization: `Bearer ${issued.key}` } };
}

/**
 * A text no other test sends, so stand-in call counts belong to this test alone. The marker is
 * digits only (≈80 random bits): the stand-ins embed and classify by letter runs, so a UUID's
 * hex letters were words to them, and could outrank a short query's own (rerank and classifier
 * tests flaked on it).
 */
export const uniqueText = (base = 'I love this') => `${base} ${uniqueDigits()}`;

function uniqueDigits(): string {
  return Array.from(crypto.getRandomValues(new Uint32Array(3)), (part) => String(part).padStart(10, '0')).join('').slice(0, 24);
}

export const hfOrigin = () => new URL(env.HF_BASE_URL!).origin;

export async function hfCallsFor(text: string): Promise<number> {
  return (await hfCallRecord(text)).calls;
}

export async function hfCallRecord(text: string): Promise<{ calls: number; paths: string[]; tokens: string[] }> {
  const response = await fetch(`${hfOrigin()}/__calls?text=${encodeURIComponent(text)}`);
  return (await response.json()) as { calls: number; paths: string[]; tokens: string[] };
}

export const aiCallsFor = (text: string) => env.AI_CONTROL.callsFor(text);

/** Reads until `done` holds (queue consumers run after the response), at most ~10 s. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, attempts = 100): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < attempts && !done(value); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}
