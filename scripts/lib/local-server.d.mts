// Types for local-server.mjs, the harness scripts and the browser tests use to run the real Worker.
export interface HttpResult {
  status: number;
  /** Node's lower-cased response headers. */
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export interface LocalServer {
  port: number;
  /** wrangler's pid, which is also its process group (workerd runs in it). */
  pid: number;
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

export const ADMIN: { Authorization: string };
export function startLocalServer(options: { stateDir: string; vars?: Record<string, string> }): Promise<LocalServer>;
/** A tenant with effectively unlimited rate and budget, and one secret key. */
export function createTenant(server: LocalServer, name: string, taskConfigs?: Record<string, unknown>): Promise<LocalTenant>;
/** HTTP/1.1 requests over at most `maxSockets` keep-alive connections. */
export function keepAliveClient(maxSockets: number): {
  request(origin: { host: string; port: number }, method: string, path: string, headers?: Record<string, string>, body?: unknown): Promise<HttpResult>;
  close(): void;
};
