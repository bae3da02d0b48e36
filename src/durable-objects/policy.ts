import type { ProviderId } from '../providers/types';

/** A tenant's admission limits: requests per minute (refill rate), bucket size, USD per UTC day. */
export interface TenantLimits {
  rpm: number;
  burst: number;
  daily_budget_usd: number;
}

/** What admission hands to the rest of the request: the tenant's current, authoritative policy. */
export interface TenantPolicy {
  tenantId: string;
  limits: TenantLimits;
  /** Per task, the providers to try in order; absent = the deployment default. */
  providerOrder: Partial<Record<string, ProviderId[]>>;
}

export const DEFAULT_LIMITS: TenantLimits = { rpm: 120, burst: 30, daily_budget_usd: 5 };
