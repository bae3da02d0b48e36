import type { TaskConfig } from '../contracts/policy';
import type { ProviderId } from '../contracts/provider-ids';

interface TaskRow {
  task: string;
  providers: string | null;
  models: string;
  hf_endpoint_url: string | null;
  hf_token_encrypted: string | null;
  cascade_threshold: number | null;
}

function fromRow(row: TaskRow): TaskConfig {
  const config: TaskConfig = {};
  if (row.providers) config.providers = JSON.parse(row.providers) as ProviderId[];
  const models = JSON.parse(row.models) as TaskConfig['models'];
  if (models && Object.keys(models).length > 0) config.models = models;
  if (row.cascade_threshold !== null) config.cascade = { threshold: row.cascade_threshold };
  if (row.hf_endpoint_url && row.hf_token_encrypted) config.huggingface_endpoint = { url: row.hf_endpoint_url, token_encrypted: row.hf_token_encrypted };
  return config;
}

export async function listTaskConfigs(db: D1Database, tenantId: string): Promise<Record<string, TaskConfig>> {
  const { results } = await db.prepare('SELECT * FROM tenant_tasks WHERE tenant_id = ?').bind(tenantId).all<TaskRow>();
  return Object.fromEntries(results.map((row) => [row.task, fromRow(row)]));
}

/** Replaces the tenant's configuration of one task. */
export async function putTaskConfig(db: D1Database, tenantId: string, task: string, config: TaskConfig): Promise<void> {
  await db
    .prepare(
      `INSERT OR REPLACE INTO tenant_tasks (tenant_id, task, providers, models, hf_endpoint_url, hf_token_encrypted, cascade_threshold, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      tenantId,
      task,
      config.providers ? JSON.stringify(config.providers) : null,
      JSON.stringify(config.models ?? {}),
      config.huggingface_endpoint?.url ?? null,
      config.huggingface_endpoint?.token_encrypted ?? null,
      config.cascade?.threshold ?? null,
      new Date().toISOString(),
    )
    .run();
}

export async function deleteTaskConfig(db: D1Database, tenantId: string, task: string): Promise<boolean> {
  const result = await db.prepare('DELETE FROM tenant_tasks WHERE tenant_id = ? AND task = ?').bind(tenantId, task).run();
  return result.meta.changes > 0;
}
