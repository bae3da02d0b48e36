import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { forgetLease } from '../admission/leases';
import { guardFor } from '../durable-objects/tenant-guard/client';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { adminErrorResponses } from '../http/error-responses';
import { issueKey, listKeys, revokeKey } from '../storage/api-keys';
import { createTenant, getTenant, updateTenant } from '../storage/tenants';
import { sealTurnstileSecret } from '../security/turnstile';
import { registerKeyRoutes } from './key-routes';
import { registerModelAliasRoutes } from './model-alias-routes';
import { registerTaskConfigRoutes } from './task-config-routes';
import { createKeySchema, createTenantSchema, issuedKeySchema, keySummarySchema, patchTenantSchema, tenantSchema } from './schema';

const json = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema } } });
const jsonBody = <T extends z.ZodTypeAny>(schema: T) => ({ body: { required: true, ...json(schema) } });
const tenantParams = z.object({ id: z.string().min(1).max(100) });
const security = [{ adminToken: [] }];

const noTenant = (id: string) => new ApiError(404, 'tenant_not_found', `No tenant ${id}`, { param: 'id' });

export function registerAdminRoutes(app: OpenAPIHono<AppEnv>): void {
  registerTaskConfigRoutes(app);
  registerKeyRoutes(app);
  registerModelAliasRoutes(app);
  app.openapi(
    createRoute({ method: 'post', path: '/admin/tenants', tags: ['admin'], security, summary: 'Create a tenant', request: jsonBody(createTenantSchema), responses: { 201: { description: 'Created', ...json(tenantSchema) }, ...adminErrorResponses } }),
    async (c) => {
      const tenant = await createTenant(c.env.DB, c.req.valid('json'));
      return c.json(tenant, 201);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/admin/tenants/{id}', tags: ['admin'], security, summary: 'Read a tenant', request: { params: tenantParams }, responses: { 200: { description: 'The tenant', ...json(tenantSchema) }, ...adminErrorResponses } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const tenant = await getTenant(c.env.DB, id);
      if (!tenant) throw noTenant(id);
      return c.json(tenant, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'patch', path: '/admin/tenants/{id}', tags: ['admin'], security, summary: 'Change limits or provider order (applies to the next request)', request: { params: tenantParams, ...jsonBody(patchTenantSchema) }, responses: { 200: { description: 'The updated tenant', ...json(tenantSchema) }, ...adminErrorResponses } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const tenant = await updateTenant(c.env.DB, id, c.req.valid('json'));
      if (!tenant) throw noTenant(id);
      await guardFor(c.env, id).configure(id);
      forgetLease(c.env, id, (promise) => c.executionCtx.waitUntil(promise));
      return c.json(tenant, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'post', path: '/admin/tenants/{id}/keys', tags: ['admin'], security, summary: 'Issue an API key (shown once)', request: { params: tenantParams, ...jsonBody(createKeySchema) }, responses: { 201: { description: 'The key, shown this once', ...json(issuedKeySchema) }, ...adminErrorResponses } }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await getTenant(c.env.DB, id))) throw noTenant(id);
      const body = c.req.valid('json');
      const issued = await issueKey(c.env.DB, id, {
        kind: body.kind,
        scopes: body.scopes ?? ['*'],
        origins: body.origins ?? [],
        ...(body.visitor_limits ? { visitorLimits: body.visitor_limits } : {}),
        ...(body.turnstile_secret ? { turnstileSecretSealed: await sealTurnstileSecret(c.env, id, body.turnstile_secret) } : {}),
        ...(body.exact_admission ? { exactAdmission: true } : {}),
      });
      c.header('Cache-Control', 'no-store');
      return c.json(issued, 201);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/admin/tenants/{id}/keys', tags: ['admin'], security, summary: "List a tenant's keys (prefixes only)", request: { params: tenantParams }, responses: { 200: { description: 'Keys', ...json(z.object({ data: z.array(keySummarySchema) })) }, ...adminErrorResponses } }),
    async (c) => {
      const { id } = c.req.valid('param');
      if (!(await getTenant(c.env.DB, id))) throw noTenant(id);
      return c.json({ data: await listKeys(c.env.DB, id) }, 200);
    },
  );

  app.openapi(
    createRoute({ method: 'delete', path: '/admin/keys/{id}', tags: ['admin'], security, summary: 'Revoke a key (effective on the next request)', request: { params: tenantParams }, responses: { 200: { description: 'Revoked', ...json(z.object({ id: z.string(), revoked: z.literal(true) })) }, ...adminErrorResponses } }),
    async (c) => {
      const { id } = c.req.valid('param');
      const revoked = await revokeKey(c.env, id);
      if (!revoked) throw new ApiError(404, 'key_not_found', `No key ${id}`, { param: 'id' });
      await guardFor(c.env, revoked.tenantId).revokeKey(id);
      forgetLease(c.env, revoked.tenantId, (promise) => c.executionCtx.waitUntil(promise));
      return c.json({ id, revoked: true as const }, 200);
    },
  );
}
