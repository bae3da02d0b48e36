import { DEFAULT_LIMITS, type TenantLimits, type TenantPolicy } from '../durable-objects/policy';
import type { ProviderId } from '../providers/types';
import { newId } from '../security/crypto';

export interface TenantRecord {
  id: string;
  name: string;
  limits: TenantLimits;
  provider_order: Partial<Record<string, ProviderId[]>>;
  created_at: string;
}

interface TenantRow {
  id: string;
  name: string;
  rpm: number;
  burst: number;
  daily_budget_usd: number;
  provider_order: string;
  created_at: string;
}

function fromRow(row: TenantRow): TenantRecord {
  return {
    id: row.id,
    name: row.name,
    limits: { rpm: row.rpm, burst: row.burst, daily_budget_usd: row.daily_budget_usd },
    provider_order: JSON.parse(row.provider_order) as TenantRecord['provider_order'],
    created_at: row.created_at,
  };
}

export function policyOf(tenant: TenantRecord): TenantPolicy {
  return { tenantId: tenant.id, limits: tenant.limits, providerOrder: tenant.provider_order };
}

export async function createTenant(
  db: D1Database,
  input: { name: string; limits?: Partial<TenantLimits>; provider_order?: TenantRecord['provider_order']; id?: string },
): Promise<TenantRecord> {
  const now = new Date().toISOString();
  const limits = { ...DEFAULT_LIMITS, ...input.limits };
  const tenant: TenantRecord = {
    id: input.id ?? newId('ten'),
    name: input.name,
    limits,
    provider_order: input.provider_order ?? {},
    created_at: now,
  };
  await db
    .prepare(
      `INSERT INTO tenants (id, name, rpm, burst, daily_budget_usd, provider_order, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(tenant.id, tenant.name, limits.rpm, limits.burst, limits.daily_budget_usd, JSON.stringify(tenant.provider_order), now, now)
    .run();
  return tenant;
}

export async function getTenant(db: D1Database, id: string): Promise<TenantRecord | null> {
  const row = await db.prepare('SELECT * FROM tenants WHERE id = ?').bind(id).first<TenantRow>();
  return row ? fromRow(row) : null;
}

export async function updateTenant(
  db: D1Database,
  id: string,
  changes: { limits?: Partial<TenantLimits>; provider_order?: TenantRecord['provider_order']; name?: string },
): Promise<TenantRecord | null> {
  const current = await getTenant(db, id);
  if (!current) return null;
  const next: TenantRecord = {
    ...current,
    name: changes.name ?? current.name,
    limits: { ...current.limits, ...changes.limits },
    provider_order: changes.provider_order ?? current.provider_order,
  };
  await db
    .prepare(
      `UPDATE tenants SET name = ?, rpm = ?, burst = ?, daily_budget_usd = ?, provider_order = ?, updated_at = ?
       WHERE id = ?`,
    )
    .bind(
      next.name,
      next.limits.rpm,
      next.limits.burst,
      next.limits.daily_budget_usd,
      JSON.stringify(next.provider_order),
      new Date().toISOString(),
      id,
    )
    .run();
  return next;
}
