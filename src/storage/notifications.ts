import type { Bindings } from '../contracts/env';
import { newId } from '../security/crypto';
import { deliverTenantEvent } from '../tenant-events/fan-out';

/**
 * The one way to emit a tenant event (budget.soft_limit, conversation.handoff, …): recorded in D1;
 * the webhook capability delivers it to the tenant's subscribed destinations (delivered_at).
 */
export async function recordNotification(env: Bindings, tenantId: string, type: string, payload: Record<string, unknown>): Promise<void> {
  const id = newId('ntf');
  const createdAt = new Date().toISOString();
  await env.DB
    .prepare('INSERT INTO notifications (id, tenant_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?)')
    .bind(id, tenantId, type, JSON.stringify(payload), createdAt)
    .run();
  await deliverTenantEvent(env, { notificationId: id, tenantId, type, payload, createdAt });
}

export async function listNotifications(db: D1Database, tenantId: string): Promise<{ id: string; type: string; payload: Record<string, unknown>; created_at: string }[]> {
  const { results } = await db
    .prepare('SELECT id, type, payload, created_at FROM notifications WHERE tenant_id = ? ORDER BY created_at')
    .bind(tenantId)
    .all<{ id: string; type: string; payload: string; created_at: string }>();
  return results.map((row) => ({ ...row, payload: JSON.parse(row.payload) as Record<string, unknown> }));
}
