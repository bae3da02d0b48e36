import { OpenAPIHono } from '@hono/zod-openapi';
import { secureHeaders } from 'hono/secure-headers';
import { cors } from 'hono/cors';
import { matchedRoutes } from 'hono/route';
import { registerAdminRoutes } from './admin/routes';
import { registerBatchRoutes } from './batches/routes';
import { registerChatRoutes } from './chat/routes';
import type { AppEnv } from './contracts/env';
import { ApiError } from './contracts/errors';
import { renderError } from './http/render-error';
import { adminAuth } from './http/admin-auth';
import { jsonBody } from './http/json-body';
import { requestId } from './http/request-id';
import { registerKnowledgeBaseRoutes } from './kb/routes';
import { registerMcp } from './mcp/route';
import { registerDashboard } from './web/dashboard/route';
import { TURNSTILE_HEADER, VISITOR_TOKEN_HEADER } from './admission/visitors';
import { registerPlayground } from './web/playground/route';
import { registerVisitorToken } from './routes/visitor-token';
import { registerWebBundles } from './web/bundles-route';
import { registerDocs } from './routes/docs';
import { registerHealth } from './routes/health';
import { registerModels } from './routes/models';
import { registerUsage } from './routes/usage';
import { methodNotAllowed } from './http/method-not-allowed';
import { notFoundMessage } from './http/closest-route';
import { registerTaskRoutes } from './routes/task-routes';
import { registerOpenAiEmbeddings } from './routes/openai-embeddings';
import { validationError } from './contracts/validation';
import { registerDeliveryRoutes } from './webhooks/delivery-routes';
import { registerInboundRoute } from './webhooks/inbound-route';
import { registerWebhookRoutes } from './webhooks/routes';

/**
 * The Origin to grant, reflected only when it is one: `scheme://host[:port]`, or "null" (file://
 * pages and sandboxed frames, so they can read the 403 that explains why). Anything else a
 * non-browser client puts in the header gets no CORS grant rather than being echoed back.
 */
function corsOrigin(origin: string): string | null {
  if (origin === 'null') return origin;
  // No Origin header (every server-to-server call): nothing to grant, and no URL parse whose
  // thrown error would cost more than the rest of a cache hit's routing (measured with a CPU profile).
  if (!origin) return null;
  try {
    return new URL(origin).origin === origin ? origin : null;
  } catch {
    return null;
  }
}

/** Builds the whole API: middleware in request-path order, then routes, then the error handler. */
export function createApp() {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, (result as { data?: unknown }).data);
    },
  });

  app.use('*', requestId());
  app.use('*', secureHeaders());
  app.use(
    '/v1/*',
    cors({
      origin: corsOrigin,
      allowMethods: ['GET', 'POST', 'OPTIONS'],
      // Preflights carry no key, so they cannot know the tenant: any origin gets an answer, and the
      // real request is where a publishable key's origins are enforced (with these headers on the 403).
      allowHeaders: ['Authorization', 'Content-Type', 'x-api-key', 'Cache-Control', 'x-request-id', 'x-client-request-id', VISITOR_TOKEN_HEADER, TURNSTILE_HEADER],
      exposeHeaders: ['x-request-id', 'x-client-request-id', 'x-cache', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Retry-After', 'x-minnow-provider', 'x-minnow-model', 'x-minnow-cost-usd', 'x-cascade-step'],
      maxAge: 600,
    }),
  );
  app.use('/admin/*', adminAuth());
  // Only where an admin route exists: a wrong method on an admin path is a 405, not a missing body's 415.
  const adminBody = jsonBody();
  app.use('/admin/*', async (c, next) => (matchedRoutes(c).some((route) => route.method !== 'ALL') ? adminBody(c, next) : next()));

  registerTaskRoutes(app);
  registerOpenAiEmbeddings(app);
  registerBatchRoutes(app);
  registerModels(app);
  registerUsage(app);
  registerKnowledgeBaseRoutes(app);
  registerChatRoutes(app);
  registerMcp(app);
  registerWebhookRoutes(app);
  registerDeliveryRoutes(app);
  registerInboundRoute(app);
  registerAdminRoutes(app);
  registerHealth(app);
  registerDocs(app);
  registerDashboard(app);
  registerVisitorToken(app);
  registerWebBundles(app);
  registerPlayground(app);

  app.notFound((c) => {
    const allowed = methodNotAllowed(app.routes, c.req.path, c.req.method);
    const error = allowed
      ? new ApiError(405, 'method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}; use ${allowed.join(', ')}`, { headers: { Allow: allowed.join(', ') } })
      : new ApiError(404, 'not_found', notFoundMessage(app.routes, c.req.path, c.req.method));
    return renderError(error, c);
  });
  app.onError(renderError);
  return app;
}
