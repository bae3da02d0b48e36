import { OpenAPIHono } from '@hono/zod-openapi';
import { secureHeaders } from 'hono/secure-headers';
import { matchedRoutes } from 'hono/route';
import { registerAdminRoutes } from './admin/routes';
import { registerBatchRoutes } from './batches/routes';
import { registerChatRoutes } from './chat/routes';
import { registerClassifierRoutes } from './classifiers/routes';
import type { AppEnv } from './contracts/env';
import { ApiError } from './contracts/errors';
import { renderError } from './http/render-error';
import { adminAuth } from './http/admin-auth';
import { apiCors } from './http/cors';
import { jsonBody } from './http/json-body';
import { requestId } from './http/request-id';
import { registerKnowledgeBaseRoutes } from './kb/routes';
import { registerMcp } from './mcp/route';
import { registerDashboard } from './web/dashboard/route';
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

/** Builds the whole API: middleware in request-path order, then routes, then the error handler. */
export function createApp() {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, (result as { data?: unknown }).data);
    },
  });

  app.use('*', requestId());
  app.use('*', secureHeaders());
  app.use('/v1/*', apiCors());
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
  registerClassifierRoutes(app);
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
