import type { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import type { AppEnv } from '../env';

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
  // The interactive reference loads its viewer script from a CDN in the reader's browser.
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'minnow API' }));
}
