import { call } from '../../support/api';
import { createApp } from '../../../src/app';

export interface Route {
  method: string;
  /** Hono form, `/v1/kb/:id`. */
  path: string;
  /** Who may call it: the admin token, no credential (signature-verified inbound hooks, pages), or a tenant key. */
  auth: 'admin' | 'none' | 'tenant';
  /** Top-level fields of its JSON body, from the OpenAPI document (none for routes without one). */
  fields: string[];
  /** The documented example body, when the schema has one. */
  example?: unknown;
  /** Whether the route reads a JSON body. */
  hasBody: boolean;
}

/** Pages and files outside the OpenAPI document (HTML, scripts, the document itself); also /docs/* (the API reference's scripts). */
const PUBLIC_PATHS = new Set(['/', '/docs', '/dashboard', '/sdk.js', '/components.js', '/sdk.d.ts', '/openapi.json', '/healthz', '/hooks/:hookId']);

type OpenApiDoc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any> } };

function bodyOf(doc: OpenApiDoc, operation: any): { fields: string[]; example?: unknown } | undefined {
  const content = operation?.requestBody?.content?.['application/json'];
  if (!content) return undefined;
  const ref: string | undefined = content.schema?.$ref;
  const schema = ref ? doc.components.schemas[ref.split('/').pop()!] : content.schema;
  return { fields: Object.keys(schema?.properties ?? {}), example: content.example ?? schema?.example };
}

let cached: Promise<Route[]> | undefined;

/**
 * Every route the Worker serves, from the app's own route table (so a new route is covered
 * without touching these tests), with its body fields and example from /openapi.json.
 */
export function allRoutes(): Promise<Route[]> {
  cached ??= (async () => {
    const doc = (await (await call('/openapi.json')).json()) as OpenApiDoc;
    const seen = new Set<string>();
    const routes: Route[] = [];
    for (const { method, path } of createApp().routes) {
      if (method === 'ALL' || path.includes('*') || seen.has(`${method} ${path}`)) continue;
      seen.add(`${method} ${path}`);
      const operation = doc.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      const body = bodyOf(doc, operation);
      // The inbound hook reads its raw body itself (signatures are over the exact bytes).
      const hasBody = Boolean(body) || path === '/hooks/:hookId';
      const auth = path.startsWith('/admin/') ? 'admin' : PUBLIC_PATHS.has(path) || path.startsWith('/docs/') ? 'none' : 'tenant';
      routes.push({ method, path, auth, hasBody, fields: body?.fields ?? [], ...(body?.example === undefined ? {} : { example: body.example }) });
    }
    return routes;
  })();
  return cached;
}

export const label = (route: Route) => `${route.method} ${route.path}`;
