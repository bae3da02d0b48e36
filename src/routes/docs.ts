import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';

/**
 * The API reference viewer: the one-file browser build of @scalar/api-reference at this exact
 * version, vendored into assets/docs/ by scripts/vendor-docs-ui.mjs and served from the ASSETS
 * binding (a static asset: it does not grow the Worker). Nothing is loaded from a CDN.
 */
export const SCALAR_VERSION = '1.76.0';
export const DOCS_VIEWER_PATH = `/docs/scalar-api-reference-${SCALAR_VERSION}.js`;
const DOCS_INIT_PATH = '/docs/init.js';

/**
 * The viewer's settings: the document from this origin, no web fonts from Scalar's font host, no
 * telemetry, no agent chat (it calls Scalar's servers) and no developer toolbar.
 */
const VIEWER_CONFIG = {
  url: '/openapi.json',
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: 'never',
  hideClientButton: false,
};
/**
 * Runs before the viewer: zod (inside the viewer) probes for eval with `Function('')` unless told
 * not to, which the CSP blocks and reports as a violation; `jitless` skips the probe. The viewer
 * mounts once the document has parsed (after the viewer script below has run).
 */
const INIT_JS = `globalThis.__zod_globalConfig = { jitless: true };
document.addEventListener('DOMContentLoaded', () => Scalar.createApiReference('#app', ${JSON.stringify(VIEWER_CONFIG)}));
`;

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>minnow API</title>
</head>
<body>
<noscript>The API reference needs JavaScript. The document itself is at <a href="/openapi.json">/openapi.json</a>.</noscript>
<div id="app"></div>
<script src="${DOCS_INIT_PATH}"></script>
<script src="${DOCS_VIEWER_PATH}"></script>
</body>
</html>
`;

/**
 * Scripts only from this origin (the two files above: no inline script, no eval); connections only
 * to this origin ("Try it" sends requests to the server the document names, which is this one).
 * Styles allow 'unsafe-inline' because the viewer injects its stylesheet and sets style attributes
 * at run time; images allow data: and blob: for its icons.
 */
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function registerDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'A secret key (sk_…) from a server, or a publishable key (pk_…) from an allowed origin. Also accepted in x-api-key.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'adminToken', { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' });
  app.doc31('/openapi.json', (c) => ({
    openapi: '3.1.0',
    info: {
      title: 'minnow',
      version: '0.1.0',
      description: 'Small, specialized AI task endpoints at the edge. Every task answers in one envelope and every error in one shape.',
    },
    servers: [{ url: new URL(c.req.url).origin }],
  }));

  app.get('/docs', (c) => {
    c.header('Content-Security-Policy', DOCS_CSP);
    c.header('Cache-Control', 'public, max-age=300');
    return c.html(DOCS_HTML);
  });

  app.get(DOCS_INIT_PATH, (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(INIT_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  // The versioned file never changes, so browsers keep it for a year.
  app.get(DOCS_VIEWER_PATH, async (c) => {
    if (!c.env.ASSETS) throw new ApiError(503, 'docs_viewer_missing', 'No ASSETS binding: the API reference viewer cannot be served; /openapi.json is the document');
    const asset = await c.env.ASSETS.fetch(`https://assets.invalid${DOCS_VIEWER_PATH}`);
    if (!asset.ok) throw new ApiError(503, 'docs_viewer_missing', `The API reference viewer is missing from assets/docs (ASSETS answered ${asset.status}); run scripts/vendor-docs-ui.mjs`);
    const etag = asset.headers.get('etag');
    if (etag) c.header('ETag', etag);
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    return c.body(asset.body as ReadableStream);
  });
}
