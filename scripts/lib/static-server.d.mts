// Types for static-server.mjs (the example site's server, used by the browser tests).
export interface StaticServer {
  port: number;
  close(): Promise<void>;
}
export function createStaticServer(options: { root: URL; port?: number; host?: string; overrides?: Record<string, string | Promise<string>> }): Promise<StaticServer>;
