import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { admitAccountRequest } from '../admission/admit';
import { MANAGING } from '../admission/browser-keys';
import { apiKeyFormat } from '../http/api-key-format';
import { jsonBody } from '../http/json-body';
import { errorResponse as error } from '../http/error-responses';
import { newId } from '../security/crypto';
import { encryptSecret } from '../security/secrets';
import { findClassifier } from '../storage/classifiers';
import { deleteHook, getHook, type Hook, type HookTask, insertHook, listHooks, saveHook } from '../storage/webhooks';
import { newSigningSecret } from './hmac';
import { presentHook } from './present';
import { createdHookSchema, createHookSchema, hookIdParams, hookSchema, updatedHookSchema, updateHookSchema } from './schema';
import { secretContext } from './types';
import { checkDestinationUrl, checksDns, resolvesPublicly } from './url-policy';

export const MAX_HOOKS_PER_TENANT = 100;

const accountErrors = {
  401: error('Missing, unknown or revoked API key'),
  403: error('Not a secret key with every scope (webhooks run tasks and hold what they were sent)'),
  429: error('Rate limit exceeded; see `Retry-After`'),
};
const notFound = () => new ApiError(404, 'webhook_not_found', 'No such webhook', { param: 'id' });
const originOf = (c: Context<AppEnv>) => new URL(c.req.url).origin;

/** The URL policy, and outside local development a DNS-over-HTTPS check that the name is public. */
async function checkDestination(c: Context<AppEnv>, url: string): Promise<void> {
  const verdict = checkDestinationUrl(url, c.env.ENVIRONMENT);
  if (!verdict.ok) throw new ApiError(400, 'invalid_destination', `destination.url ${verdict.reason}`, { param: 'destination.url' });
  if (!checksDns(c.env.ENVIRONMENT)) return;
  const resolved = await resolvesPublicly(verdict.url.hostname);
  if (!resolved.ok) throw new ApiError(400, 'invalid_destination', `destination.url ${resolved.reason}`, { param: 'destination.url' });
}

/** A hook must do something: tasks need a way to authenticate the sender; otherwise events. */
function checkComplete(hook: Hook): void {
  if (hook.tasks.length > 0 && !hook.verify) throw new ApiError(400, 'missing_field', 'verify is required when tasks are given', { param: 'verify' });
  if (hook.tasks.length === 0 && hook.events.length === 0) throw new ApiError(400, 'invalid_field', 'A webhook needs tasks (with verify), events, or both', { param: 'tasks' });
}

/**
 * A classify task whose fixed `options.classifier` names no classifier of the tenant is refused
 * when the hook is saved, with the 404 `POST /v1/classify` gives, rather than saved to fail every
 * delivery: a classifier's id is minted when it is created (`clf_…`), so a hook cannot name one
 * that will exist later. One that exists but is still training (or failed, and may be retrained)
 * is saved: it answers once a version is ready, and until then a delivery's classify result is
 * the 409. A classifier mapped from the payload is read per delivery, as is one deleted later.
 */
async function refuseUnknownClassifiers(db: D1Database, tenantId: string, tasks: HookTask[]): Promise<void> {
  for (const [index, task] of tasks.entries()) {
    const named = task.task === 'classify' ? task.options?.classifier : undefined;
    if (typeof named !== 'string' || (await findClassifier(db, tenantId, named))) continue;
    throw new ApiError(404, 'classifier_not_found', `No classifier ${named.slice(0, 100)}: tasks.${index}.options.classifier names none of yours (GET /v1/classifiers lists them)`, {
      param: `tasks.${index}.options.classifier`,
    });
  }
}

export function registerWebhookRoutes(app: OpenAPIHono<AppEnv>): void {
  const common = { tags: ['webhooks'], security: [{ apiKey: [] }] };

  app.openapi(
    createRoute({
      ...common,
      method: 'post',
      path: '/v1/webhooks',
      summary: 'Create a webhook: verify inbound deliveries, run tasks, deliver signed results (and/or tenant events)',
      middleware: [apiKeyFormat({ secretOnly: MANAGING }), jsonBody()] as const,
      request: { body: { required: true, content: { 'application/json': { schema: createHookSchema } } } },
      responses: {
        201: { description: 'The webhook, with its signing secret (shown only now)', content: { 'application/json': { schema: createdHookSchema } } },
        400: error('Invalid configuration; `param` names the field'),
        404: error('A classify task names a classifier the tenant does not have (`param`: `tasks.0.options.classifier`)'),
        ...accountErrors,
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { key } = await admitAccountRequest(c, '*');
      await checkDestination(c, body.destination.url);
      await refuseUnknownClassifiers(c.env.DB, key.tenantId, body.tasks ?? []);
      if ((await listHooks(c.env.DB, key.tenantId)).length >= MAX_HOOKS_PER_TENANT) {
        throw new ApiError(400, 'too_many_webhooks', `A tenant may have at most ${MAX_HOOKS_PER_TENANT} webhooks; delete one first`);
      }
      const now = new Date().toISOString();
      const ids = { id: newId('whk'), tenantId: key.tenantId };
      const signingSecret = newSigningSecret();
      const hook: Hook = {
        ...ids,
        name: body.name,
        verify: body.verify
          ? { scheme: body.verify.scheme, secretEncrypted: await encryptSecret(c.env, body.verify.secret, secretContext(ids, 'verify')), previousSecretEncrypted: null, previousExpiresAt: null }
          : null,
        tasks: body.tasks ?? [],
        events: body.events ?? [],
        destinationUrl: body.destination.url,
        signingSecretEncrypted: await encryptSecret(c.env, signingSecret, secretContext(ids, 'signing')),
        signingPreviousSecretEncrypted: null,
        signingPreviousExpiresAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await insertHook(c.env.DB, hook);
      return c.json({ ...presentHook(hook, originOf(c)), signing_secret: signingSecret }, 201);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/webhooks',
      summary: 'List your webhooks',
      middleware: [apiKeyFormat()] as const,
      responses: {
        200: { description: 'Every webhook, oldest first', content: { 'application/json': { schema: z.object({ object: z.literal('list'), data: z.array(hookSchema) }) } } },
        ...accountErrors,
      },
    }),
    async (c) => {
      const { key } = await admitAccountRequest(c, '*');
      const hooks = await listHooks(c.env.DB, key.tenantId);
      return c.json({ object: 'list' as const, data: hooks.map((hook) => presentHook(hook, originOf(c))) }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'get',
      path: '/v1/webhooks/{id}',
      summary: 'One webhook',
      middleware: [apiKeyFormat()] as const,
      request: { params: hookIdParams },
      responses: { 200: { description: 'The webhook', content: { 'application/json': { schema: hookSchema } } }, 404: error('No such webhook'), ...accountErrors },
    }),
    async (c) => {
      const { key } = await admitAccountRequest(c, '*');
      const hook = await getHook(c.env.DB, key.tenantId, c.req.valid('param').id);
      if (!hook) throw notFound();
      return c.json(presentHook(hook, originOf(c)), 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'patch',
      path: '/v1/webhooks/{id}',
      summary: 'Change a webhook; rotate the inbound verify secret or the outbound signing secret over a window',
      middleware: [apiKeyFormat({ secretOnly: MANAGING }), jsonBody()] as const,
      request: { params: hookIdParams, body: { required: true, content: { 'application/json': { schema: updateHookSchema } } } },
      responses: {
        200: { description: 'The webhook (with `signing_secret` when it was rotated: shown only now)', content: { 'application/json': { schema: updatedHookSchema } } },
        400: error('Invalid change; `param` names the field'),
        404: error('No such webhook, or a classify task names a classifier the tenant does not have (`param`: `tasks.0.options.classifier`)'),
        ...accountErrors,
      },
    }),
    async (c) => {
      const changes = c.req.valid('json');
      const { key } = await admitAccountRequest(c, '*');
      const current = await getHook(c.env.DB, key.tenantId, c.req.valid('param').id);
      if (!current) throw notFound();
      if (changes.destination) await checkDestination(c, changes.destination.url);
      if (changes.tasks) await refuseUnknownClassifiers(c.env.DB, key.tenantId, changes.tasks);
      const nowMs = Date.now();
      const next: Hook = {
        ...current,
        name: changes.name ?? current.name,
        tasks: changes.tasks ?? current.tasks,
        events: changes.events ?? current.events,
        destinationUrl: changes.destination?.url ?? current.destinationUrl,
        updatedAt: new Date(nowMs).toISOString(),
      };
      if (changes.verify === null) next.verify = null;
      if (changes.verify) {
        const scheme = changes.verify.scheme ?? current.verify?.scheme;
        if (!scheme) throw new ApiError(400, 'missing_field', 'verify.scheme is required: this webhook has none yet', { param: 'verify.scheme' });
        // Same scheme: the sender may still sign with the old secret for a while. A new scheme is a new sender.
        const keepPrevious = current.verify?.scheme === scheme && changes.verify.rotation_window_seconds > 0;
        next.verify = {
          scheme,
          secretEncrypted: await encryptSecret(c.env, changes.verify.secret, secretContext(current, 'verify')),
          previousSecretEncrypted: keepPrevious ? current.verify!.secretEncrypted : null,
          previousExpiresAt: keepPrevious ? new Date(nowMs + changes.verify.rotation_window_seconds * 1000).toISOString() : null,
        };
      }
      let signingSecret: string | undefined;
      if (changes.rotate_signing_secret) {
        signingSecret = newSigningSecret();
        next.signingPreviousSecretEncrypted = current.signingSecretEncrypted;
        next.signingPreviousExpiresAt = new Date(nowMs + changes.rotate_signing_secret.rotation_window_seconds * 1000).toISOString();
        next.signingSecretEncrypted = await encryptSecret(c.env, signingSecret, secretContext(current, 'signing'));
      }
      checkComplete(next);
      await saveHook(c.env.DB, next);
      return c.json({ ...presentHook(next, originOf(c)), ...(signingSecret ? { signing_secret: signingSecret } : {}) }, 200);
    },
  );

  app.openapi(
    createRoute({
      ...common,
      method: 'delete',
      path: '/v1/webhooks/{id}',
      summary: 'Delete a webhook with its delivery log; pending deliveries stop',
      middleware: [apiKeyFormat()] as const,
      request: { params: hookIdParams },
      responses: {
        200: { description: 'Deleted', content: { 'application/json': { schema: z.object({ id: z.string(), object: z.literal('webhook'), deleted: z.literal(true) }) } } },
        404: error('No such webhook'),
        ...accountErrors,
      },
    }),
    async (c) => {
      const { key } = await admitAccountRequest(c, '*');
      const { id } = c.req.valid('param');
      if (!(await deleteHook(c.env.DB, key.tenantId, id))) throw notFound();
      return c.json({ id, object: 'webhook' as const, deleted: true as const }, 200);
    },
  );
}
