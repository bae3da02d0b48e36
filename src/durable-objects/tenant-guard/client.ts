import type { Bindings } from '../../contracts/env';
import type { TenantGuard } from './tenant-guard';

/** The tenant's TenantGuard stub: one Durable Object per tenant, addressed by tenant id. */
export function guardFor(env: Pick<Bindings, 'TENANT_GUARD'>, tenantId: string): DurableObjectStub<TenantGuard> {
  const namespace = env.TENANT_GUARD as DurableObjectNamespace<TenantGuard>;
  return namespace.get(namespace.idFromName(tenantId));
}
