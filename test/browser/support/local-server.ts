/**
 * Typed access to scripts/lib/local-server.mjs, the harness that runs the real Worker under
 * `wrangler dev --local`. It is plain JS without a declaration file, and tsconfig.json checks test/
 * without allowJs, so a static import would be an implicit `any`; this states, with types, the part
 * of it the browser tests use. The specifier is a `string` variable so tsc does not try to resolve it.
 */
export interface HttpResult {
  status: number;
  /** Node's lower-cased response headers. */
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface LocalServer {
  port: number;
  request(method: string, path: string, headers?: Record<string, string>, body?: unknown): Promise<HttpResult>;
  /** Parses the JSON answer; throws unless the status is `expected` (default 200). */
  json<T = any>(method: string, path: string, headers?: Record<string, string>, body?: unknown, expected?: number): Promise<T>;
  stop(): Promise<void>;
}

export interface LocalTenant {
  id: string;
  key: string;
  auth: { Authorization: string };
}

interface LocalServerModule {
  ADMIN: { Authorization: string };
  startLocalServer(options: { stateDir: string; vars?: Record<string, string> }): Promise<LocalServer>;
  /** A tenant with effectively unlimited rate and budget, and one secret key. */
  createTenant(server: LocalServer, name: string, taskConfigs?: Record<string, unknown>): Promise<LocalTenant>;
}

const HARNESS: string = '../../../scripts/lib/local-server.mjs';
export const { ADMIN, startLocalServer, createTenant } = (await import(HARNESS)) as LocalServerModule;
