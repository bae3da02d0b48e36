import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { fieldPath } from '../contracts/validation';
import type { TaskConfig } from '../contracts/policy';
import { forgetLease } from '../admission/leases';
import { guardFor } from '../durable-objects/tenant-guard/client';
import type { AppEnv, Bindings } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { adminErrorResponses } from '../http/error-responses';
import { encryptSecret } from '../security/secrets';
import { deleteTaskConfig, listTaskConfigs, putTaskConfig } from '../storage/tenant-tasks';
import { getTenant } from '../storage/tenants';
import { chatGenerationTask } from '../tasks/chat/task';
import { TASKS } from '../tasks/registry';
import type { AnyTask } from '../tasks/types';
import { taskConfigInputSchema, taskConfigSchema, type TaskConfigInput } from './task-config-schema';

const json = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema } } });
const params = z.object({ id: z.string().min(1).max(100), task: z.string().min(1).max(50) });
const security = [{ adminToken: [] }];

/** Every task a tenant can configure: the public ones, and chat generation (its bots' default order and models). */
const CONFIGURABLE: Record<string, AnyTask> = { ...TASKS, chat: chatGenerationTask };

function taskNamed(name: string) {
  // Own names only: "constructor" or "__proto__" must not find Object.prototype's members.
  const task = Object.hasOwn(CONFIGURABLE, name) ? CONFIGURABLE[name] : undefined;
  if (!task) throw new ApiError(404, 'task_not_found', `No task ${name}; tasks: ${Object.keys(CONFIGURABLE).join(', ')}`, { param: 'task' });
  return task;
}

/** What a tenant may configure must be servable: known providers, known models, a safe URL. */
function checkConfig(env: Bindings, taskName: string, input: TaskConfigInput): void {
  const supported = taskNamed(taskName).providers.map((mapping) => mapping.provider);
  input.providers?.forEach((provider, index) => {
    if (!supported.includes(provider)) throw new ApiError(400, 'invalid_field', `${taskName} does not run on ${provider}; it runs on ${supported.join(', ')}`, { param: fieldPath('providers', index) });
  });
  for (const [provider, model] of Object.entries(input.models ?? {})) {
    const param = fieldPath('models', provider);
    if (!supported.includes(provider as never)) throw new ApiError(400, 'invalid_field', `${taskName} does not run on ${provider}`, { param });
    if (provider === 'huggingface') {
      if (!/^[\w.-]+\/[\w.-]+$/.test(model!)) throw new ApiError(400, 'invalid_field', 'A Hugging Face model id looks like "org/name"', { param });
    } else if (!taskNamed(taskName).models.some((entry) => entry.id === model && entry.provider === provider)) {
      const known = taskNamed(taskName).models.filter((entry) => entry.provider === provider).map((entry) => entry.id);
      throw new ApiError(400, 'invalid_field', `Unknown ${provider} model for ${taskName}; choose one of: ${known.join(', ')}`, { param });
    }
  }
  if (input.cascade) {
    if (!taskNamed(taskName).confidence) throw new ApiError(400, 'invalid_field', `${taskName} cannot cascade: its results carry no confidence`, { param: 'cascade' });
    if (input.providers?.[0] !== 'local' || input.providers.length < 2) {
      throw new ApiError(400, 'invalid_field', 'A cascade needs providers starting with "local" and at least one provider to escalate to', { param: 'providers' });
    }
  }
  if (input.huggingface_endpoint) {
    if (!supported.includes('huggingface')) throw new ApiError(400, 'invalid_field', `${taskName} does not run on huggingface`, { param: 'huggingface_endpoint' });
    const url = new URL(input.huggingface_endpoint.url);
    const localHttp = url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname) && env.ENVIRONMENT === 'development';
    if (url.protocol !== 'https:' && !localHttp) throw new ApiError(400, 'invalid_field', 'The endpoint URL must be https', { param: 'huggingface_endpoint.url' });
    if (url.username || url.password) throw new ApiError(400, 'invalid_field', 'Put the token in "token", not in the URL', { param: 'huggingface_endpoint.url' });
  }
}

/** The configuration as the admin API shows it: the token is never returned, only that it is set. */
function redacted(task: string, config: TaskConfig) {
  return {
    task,
    ...(config.providers ? { providers: config.providers } : {}),
    ...(config.models ? { models: config.models } : {}),
    ...(config.cascade ? { cascade: config.cascade } : {}),
    ...(config.huggingface_endpoint ? { huggingface_endpoint: { url: config.huggingface_endpoint.url, token_set: true as const } } : {}),
  };
}

async function requireTenant(env: Bindings, id: string): Promise<void> {
  if (!(await getTenant(env.DB, id))) throw new ApiError(404, 'tenant_not_found', `No tenant ${id}`, { param: 'id' });
}

export function registerTaskConfigRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'put', path: '/admin/tenants/{id}/tasks/{task}', tags: ['admin'], security,
      summary: "Set how a tenant's task is served: provider order, models, the tenant's own HF endpoint",
      request: { params, body: { required: true, ...json(taskConfigInputSchema) } },
      responses: { 200: { description: 'The configuration (token redacted)', ...json(taskConfigSchema) }, ...adminErrorResponses },
    }),
    async (c) => {
      const { id, task } = c.req.valid('param');
      const input = c.req.valid('json');
      await requireTenant(c.env, id);
      checkConfig(c.env, task, input);
      const config: TaskConfig = {
        ...(input.providers ? { providers: input.providers } : {}),
        ...(input.models ? { models: input.models } : {}),
        ...(input.cascade ? { cascade: { threshold: input.cascade.threshold ?? taskNamed(task).defaultCascadeThreshold ?? 0.8 } } : {}),
        ...(input.huggingface_endpoint
          ? { huggingface_endpoint: { url: input.huggingface_endpoint.url, token_encrypted: await encryptSecret(c.env, input.huggingface_endpoint.token, `${id}:${task}`) } }
          : {}),
      };
      await putTaskConfig(c.env.DB, id, task, config);
      await guardFor(c.env, id).configure(id);
      forgetLease(c.env, id, (promise) => c.executionCtx.waitUntil(promise));
      return c.json(redacted(task, config), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/admin/tenants/{id}/tasks', tags: ['admin'], security, summary: "A tenant's task configurations (tokens redacted)",
      request: { params: params.pick({ id: true }) },
      responses: { 200: { description: 'Configurations', ...json(z.object({ data: z.array(taskConfigSchema) })) }, ...adminErrorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      await requireTenant(c.env, id);
      const configs = await listTaskConfigs(c.env.DB, id);
      return c.json({ data: Object.entries(configs).map(([task, config]) => redacted(task, config)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/admin/tenants/{id}/tasks/{task}', tags: ['admin'], security, summary: 'Back to the deployment defaults for a task',
      request: { params },
      responses: { 200: { description: 'Removed', ...json(z.object({ task: z.string(), deleted: z.literal(true) })) }, ...adminErrorResponses },
    }),
    async (c) => {
      const { id, task } = c.req.valid('param');
      await requireTenant(c.env, id);
      if (!(await deleteTaskConfig(c.env.DB, id, task))) throw new ApiError(404, 'task_config_not_found', `Tenant ${id} has no configuration for ${task}`, { param: 'task' });
      await guardFor(c.env, id).configure(id);
      forgetLease(c.env, id, (promise) => c.executionCtx.waitUntil(promise));
      return c.json({ task, deleted: true as const }, 200);
    },
  );
}
