// The example site (examples/jamstack) served as a real static site on its own port — another
// origin than the Worker — with config.js pointing at the Worker under test and a given key.
import { createStaticServer, type StaticServer } from '../../../scripts/lib/static-server.mjs';
import { ADMIN, type LocalServer } from './local-server';

export const EXAMPLE_ROOT = new URL('../../../examples/jamstack/', import.meta.url);

export interface ExampleSite extends StaticServer {
  origin: string;
  /** Serves a config.js that uses this key (the origin must exist before a key can allow it). */
  useKey(key: string, ids?: { kb?: string; bot?: string }): void;
}

export async function serveExample(workerBase: string): Promise<ExampleSite> {
  const overrides: Record<string, string> = {};
  const site = await createStaticServer({ root: EXAMPLE_ROOT, overrides });
  return {
    ...site,
    origin: `http://127.0.0.1:${site.port}`,
    useKey(key, ids = {}) {
      overrides['/config.js'] = [
        `export const MINNOW_URL = ${JSON.stringify(workerBase)};`,
        `export const MINNOW_KEY = ${JSON.stringify(key)};`,
        `export const MINNOW_KB = ${JSON.stringify(ids.kb ?? 'help-centre')};`,
        `export const MINNOW_BOT = ${JSON.stringify(ids.bot ?? 'support')};`,
        '',
      ].join('\n');
    },
  };
}

/** A publishable key of `tenantId` for `origins`, through the admin API as an operator would. */
export async function issuePublishableKey(server: LocalServer, tenantId: string, origins: string[], extra: Record<string, unknown> = {}): Promise<string> {
  const issued = await server.json<{ key: string }>('POST', `/admin/tenants/${tenantId}/keys`, ADMIN, { kind: 'publishable', origins, ...extra }, 201);
  return issued.key;
}
