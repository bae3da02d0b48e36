import type { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import type { AppEnv } from '../contracts/env';

const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net",
  "style-src 'self' 'unsafe-inline' https:",
  "font-src 'self' data: https:",
  "img-src 'self' data: https:",
  // "Try it" sends requests to the servers the document names (this origin) and the viewer's proxy.
  "connect-src 'self' https:",
  "worker-src 'self' blob:",
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
  // The interactive reference loads its viewer script from a CDN in the reader's browser. Its page
  // has an inline bootstrap script and theme, so the policy cannot be as strict as /dashboard's;
  // it still rules out framing, plugins, <base> and scripts from anywhere but here and the CDN.
  app.get('/docs', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', DOCS_CSP);
  }, Scalar({ url: '/openapi.json', pageTitle: 'minnow API' }));
}
