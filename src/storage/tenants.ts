import { DEFAULT_LIMITS, type TaskConfig, type TenantLimits, type TenantPolicy } from '../contracts/policy';
import { newId } from '../security/crypto';

export interface TenantRecord {
  id: string;
  name: string;
  limits: TenantLimits;
  created_at: string;
}

/** A tenants row: the limits are stored one column each, under their own names (a flag as 0/1). */
type TenantRow = Omit<TenantLimits, 'exact_admission'> & { exact_admission: number; id: string; name: string; created_at: string };

function fromRow(row: TenantRow): TenantRecord {
  return {
    id: row.id,
    name: row.name,
    limits: {
      rpm: row.rpm,
      burst: row.burst,
      daily_budget_usd: row.daily_budget_usd,
      monthly_budget_usd: row.monthly_budget_usd,
      daily_budget_neurons: row.daily_budget_neurons,
      soft_limit_ratio: row.soft_limit_ratio,
      exact_admission: row.exact_admission === 1,
    },
    created_at: row.created_at,
  };
}

export function policyOf(tenant: TenantRecord, tasks: Record<string, TaskConfig>): TenantPolicy {
  return { tenantId: tenant.id, limits: tenant.limits, tasks };
}

export async function createTenant(
  db: D1Database,
  input: { name: string; limits?: Partial<TenantLimits>; id?: string },
): Promise<TenantRecord> {
  const now = new Date().toISOString();
  const limits = { ...DEFAULT_LIMITS, ...input.limits };
  const tenant: TenantRecord = {
    id: input.id ?? newId('ten'),
    name: input.name,
    limits,
    created_at: now,
  };
  await db
    .prepare(
      `INSERT INTO tenants (id, name, rpm, burst, daily_budget_usd, monthly_budget_usd, daily_budget_neurons, soft_limit_ratio, exact_admission, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(tenant.id, tenant.name, limits.rpm, limits.burst, limits.daily_budget_usd, limits.monthly_budget_usd, limits.daily_budget_neurons, limits.soft_limit_ratio, limits.exact_admission ? 1 : 0, now, now)
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
  changes: { limits?: Partial<TenantLimits>; name?: string },
): Promise<TenantRecord | null> {
  const current = await getTenant(db, id);
  if (!current) return null;
  const next: TenantRecord = {
    ...current,
    name: changes.name ?? current.name,
    limits: { ...current.limits, ...changes.limits },
  };
  await db
    .prepare(
      `UPDATE tenants SET name = ?, rpm = ?, burst = ?, daily_budget_usd = ?, monthly_budget_usd = ?, daily_budget_neurons = ?,
         soft_limit_ratio = ?, exact_admission = ?, updated_at = ?
       WHERE id = ?`,
    )
    .bind(
      next.name,
      next.limits.rpm,
      next.limits.burst,
      next.limits.daily_budget_usd,
      next.limits.monthly_budget_usd,
      next.limits.daily_budget_neurons,
      next.limits.soft_limit_ratio,
      next.limits.exact_admission ? 1 : 0,
      new Date().toISOString(),
      id,
    )
    .run();
  return next;
}
