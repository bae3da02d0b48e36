import { expect } from 'vitest';
import { aiCallsFor, call, createTenant, hfCallsFor, json, type TestTenant } from '../support/api';

/** The tests' PROVIDER_TIMEOUT_MS (vitest.config.ts). */
export const TIMEOUT_MS = 1_000;
/** Room for workerd, the stub server and a shared CI machine on top of the timeouts themselves. */
export const SLACK_MS = 1_500;

export interface Timed {
  response: Response;
  body: any;
  ms: number;
}

export async function timed(request: () => Promise<Response>): Promise<Timed> {
  const started = Date.now();
  const response = await request();
  const body = await json(response);
  return { response, body, ms: Date.now() - started };
}

/** The one error shape, with the status and code expected, and never a 500. */
export function expectUpstreamError({ response, body }: Timed, status: number, code: string): void {
  expect(response.status, JSON.stringify(body)).toBe(status);
  expect(body.error).toMatchObject({ type: expect.any(String), code, message: expect.any(String), request_id: response.headers.get('x-request-id') });
  expect(Object.keys(body)).toEqual(['error']);
  expect(JSON.stringify(body)).not.toMatch(/hf_test_token|at \w+ \(|\.ts:\d+/);
}

/** At most one call per provider for the request's text: no retry storm. */
export async function expectBoundedCalls(text: string, at: { ai?: number; hf?: number }): Promise<void> {
  expect({ ai: await aiCallsFor(text), hf: await hfCallsFor(text) }).toEqual({ ai: at.ai ?? 0, hf: at.hf ?? 0 });
}

export async function tenantServing(task: string, providers: string[]): Promise<TestTenant> {
  return createTenant({ providerOrder: { [task]: providers } });
}

export const post = (tenant: TestTenant, path: string, body: unknown) => () => call(path, { headers: tenant.auth, body });
