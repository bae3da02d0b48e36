import { newId } from '../security/crypto';

/** A tenant event as stored (notifications); `delivered_at` is set when a hook first delivers it. */
export interface StoredNotification {
  id: string;
  tenantId: string;
  type: string;
  payload: Record<string, unknown>;
  createdAt: string;
}

/** Records a tenant event in D1. Emitting one (record, then deliver) is `tenant-events/emit.ts`. */
export async function insertNotification(db: D1Database, tenantId: string, type: string, payload: Record<string, unknown>): Promise<StoredNotification> {
  const notification = { id: newId('ntf'), tenantId, type, payload, createdAt: new Date().toISOString() };
  await db
    .prepare('INSERT INTO notifications (id, tenant_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?)')
    .bind(notification.id, tenantId, type, JSON.stringify(payload), notification.createdAt)
    .run();
  return notification;
}

export async function listNotifications(db: D1Database, tenantId: string): Promise<{ id: string; type: string; payload: Record<string, unknown>; created_at: string }[]> {
  const { results } = await db
    .prepare('SELECT id, type, payload, created_at FROM notifications WHERE tenant_id = ? ORDER BY created_at')
    .bind(tenantId)
    .all<{ id: string; type: string; payload: string; created_at: string }>();
  return results.map((row) => ({ ...row, payload: JSON.parse(row.payload) as Record<string, unknown> }));
}
