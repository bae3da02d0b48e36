import type { Bindings } from '../../contracts/env';

/** The tenant's TenantGuard stub: one Durable Object per tenant, addressed by tenant id. */
export function guardFor(env: Pick<Bindings, 'TENANT_GUARD'>, tenantId: string) {
  return env.TENANT_GUARD.get(env.TENANT_GUARD.idFromName(tenantId));
}
