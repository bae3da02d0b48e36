import type { TaskConfig, TenantPolicy } from '../../contracts/policy';
import type { Bindings } from '../../contracts/env';
import { planProviders } from '../../providers/router';
import type { AnyTask } from '../types';
import { providerOfEmbedModel, vectorSpaceOf } from './models';

/**
 * The tenant's policy as one embed request should see it. The pipeline plans providers from the
 * policy, so narrowing the policy is how a request steers it without changing the router:
 *
 * - A request that names a `model` runs that model on the one provider that serves it (the
 *   tenant's order and model choice for that provider give way to the explicit request; a tenant
 *   endpoint is skipped, since it runs a model of its own). The model is then part of the cache
 *   key, because the key names the planned model.
 * - Otherwise the tenant's plan is kept, minus fallbacks to a different vector space: embeddings
 *   from two models cannot be compared, so answering a batch half from the cache (bge-small, 384
 *   dims) and half from a fallback (100-d local vectors) would silently corrupt it. Embed falls
 *   back only between providers running the same weights.
 */
export function embedPolicy(env: Bindings, task: AnyTask, policy: TenantPolicy, requestedModel: string | undefined): TenantPolicy {
  const config: TaskConfig = policy.tasks[task.name] ?? {};
  let narrowed: TaskConfig;
  if (requestedModel) {
    const owner = providerOfEmbedModel(requestedModel)!;
    narrowed = { providers: [owner], models: { [owner]: requestedModel } };
  } else {
    const plan = planProviders(env, task, policy);
    const space = vectorSpaceOf(plan[0]!.model);
    narrowed = { ...config, providers: plan.filter((step) => vectorSpaceOf(step.model) === space).map((step) => step.mapping.provider) };
  }
  return { ...policy, tasks: { ...policy.tasks, [task.name]: narrowed } };
}
