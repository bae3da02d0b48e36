import type { z } from '@hono/zod-openapi';
import type { Bindings } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import type { TenantPolicy } from '../contracts/policy';
import { refuseUnservable, taskResolver } from '../pipeline/run-task';
import type { AnyTask } from '../tasks/types';
import { errorAtItem, type PreparedBatch } from './prepare';
import type { createBatchSchema } from './schema';

/**
 * What a batch's items name (classify's `classifier`), read when the batch is created: each
 * distinct name once for the whole request (taskResolver), the first item's when admission prices
 * it. An item naming one it cannot use — unknown or another tenant's (404), not ready (409) —
 * refuses the whole batch, `param` pointing at where that item sent it, as an invalid item does.
 */
export function batchResolver(env: Bindings, body: z.infer<typeof createBatchSchema>, task: AnyTask) {
  const resolve = taskResolver(env);
  const item = (tenantId: string, index: number, input: unknown): Promise<AnyTask> =>
    resolve(tenantId, task, input).catch((error: unknown) => {
      throw error instanceof ApiError && error.param ? errorAtItem(body, index, error) : error;
    });
  return {
    first: (tenantId: string, input: unknown) => item(tenantId, 0, input),
    /**
     * Every item, in order: the first refusal is the batch's (names already read are not read
     * again). Then the check `POST /v1/<task>` makes before calling anything: a task no provider
     * can run here for this tenant (translate under `npm start` without credentials) refuses the
     * batch with the router's 503 `no_provider_available` and its reason, rather than accepting it
     * to fail every item. Planned as runTask plans it (a neural classifier on its embedding
     * model's provider, whatever the tenant's classify plan); planning reads nothing, so every item
     * is checked.
     */
    async every(tenantId: string, policy: TenantPolicy, prepared: PreparedBatch): Promise<void> {
      for (const chunk of prepared.chunks) {
        for (const [k, input] of chunk.inputs!.entries()) {
          const resolved = task.resolve ? await item(tenantId, chunk.first_index + k, input) : task;
          refuseUnservable(env, resolved, policy, input);
        }
      }
    },
  };
}
