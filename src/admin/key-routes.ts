import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { adminErrorResponses } from '../http/error-responses';
import { sealTurnstileSecret } from '../security/turnstile';
import { getKeySummary, updateKey, type KeyChanges } from '../storage/api-keys';
import { keySummarySchema, patchKeySchema } from './schema';

const PUBLISHABLE_ONLY = ['origins', 'visitor_limits', 'turnstile_secret'] as const;

/**
 * PATCH /admin/keys/:id: change a key without replacing it — for a publishable key that is
 * already in a site's pages, that is the only way to allow a new origin without redeploying the
 * site. Applies to the next request in this isolate and within 30 s everywhere.
 */
export function registerKeyRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'patch',
      path: '/admin/keys/{id}',
      tags: ['admin'],
      security: [{ adminToken: [] }],
      summary: "Change a key's scopes, origins, visitor limits, Turnstile secret or exact admission",
      request: { params: z.object({ id: z.string().min(1).max(100) }), body: { required: true, content: { 'application/json': { schema: patchKeySchema } } } },
      responses: { 200: { description: 'The key as it is now', content: { 'application/json': { schema: keySummarySchema } } }, ...adminErrorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const key = await getKeySummary(c.env.DB, id);
      if (!key) throw new ApiError(404, 'key_not_found', `No key ${id}`, { param: 'id' });
      if (key.revoked_at) throw new ApiError(400, 'key_revoked', `Key ${id} is revoked; issue a new one`, { param: 'id' });
      const misplaced = key.kind === 'secret' ? PUBLISHABLE_ONLY.find((field) => body[field] !== undefined) : body.exact_admission !== undefined ? 'exact_admission' : undefined;
      if (misplaced === 'exact_admission') throw new ApiError(400, 'invalid_field', 'exact_admission applies to secret keys; a publishable key is always admitted by the guard (its visitors have buckets there)', { param: misplaced });
      if (misplaced) throw new ApiError(400, 'invalid_field', `${misplaced} applies to publishable keys only; secret keys are for servers`, { param: misplaced });
      const changes: KeyChanges = {
        ...(body.scopes ? { scopes: body.scopes } : {}),
        ...(body.origins ? { origins: body.origins } : {}),
        ...(body.visitor_limits !== undefined ? { visitorLimits: body.visitor_limits } : {}),
        ...(body.exact_admission !== undefined ? { exactAdmission: body.exact_admission } : {}),
        ...(body.turnstile_secret !== undefined ? { turnstileSecretSealed: body.turnstile_secret === null ? null : await sealTurnstileSecret(c.env, key.tenant_id, body.turnstile_secret) } : {}),
      };
      const updated = await updateKey(c.env, id, changes);
      if (!updated) throw new ApiError(404, 'key_not_found', `No key ${id}`, { param: 'id' });
      return c.json(updated, 200);
    },
  );
}
