import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../contracts/env';
import { sha256Hex } from '../security/crypto';
import { COMPONENTS_JS, SDK_DTS, SDK_JS } from './generated/bundles';

const JS = 'text/javascript; charset=utf-8';
const BUNDLES = {
  '/sdk.js': { body: SDK_JS, type: JS },
  '/components.js': { body: COMPONENTS_JS, type: JS },
  '/sdk.d.ts': { body: SDK_DTS, type: 'application/typescript; charset=utf-8' },
} as const;

const etags = new Map<string, Promise<string>>();
const etagOf = (path: string, body: string) => {
  let etag = etags.get(path);
  if (!etag) etags.set(path, (etag = sha256Hex(body).then((hash) => `"${hash.slice(0, 32)}"`)));
  return etag;
};

/**
 * GET /sdk.js, /components.js, /sdk.d.ts: the browser SDK, web components and the SDK's types,
 * for any site to load as ES modules. Public code with no credentials, so `Access-Control-Allow-
 * Origin: *` (a cross-origin module script is a CORS request). The URLs are not versioned, so
 * browsers keep a copy for 5 minutes and then revalidate with the ETag (a 304 costs nothing).
 */
export function registerWebBundles(app: OpenAPIHono<AppEnv>): void {
  for (const [path, bundle] of Object.entries(BUNDLES)) {
    app.get(path, async (c) => {
      const etag = await etagOf(path, bundle.body);
      c.header('Access-Control-Allow-Origin', '*');
      c.header('Cache-Control', 'public, max-age=300, must-revalidate');
      c.header('ETag', etag);
      if (path === '/sdk.js') c.header('X-TypeScript-Types', '/sdk.d.ts');
      if (c.req.header('if-none-match') === etag) return c.body(null, 304);
      return c.body(bundle.body, 200, { 'Content-Type': bundle.type });
    });
  }
}
