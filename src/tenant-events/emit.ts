import type { Bindings } from '../contracts/env';
import type { JobsMessage } from '../contracts/queue-messages';
import type { TenantEventType } from '../contracts/tenant-events';
import { newId } from '../security/crypto';
import { insertNotification, type StoredNotification } from '../storage/notifications';
import { createDeliveries, type NewDelivery } from '../storage/webhook-deliveries';
import { hooksForEvent } from '../storage/webhooks';

/**
 * The one way to emit a tenant event (budget.soft_limit, conversation.handoff): recorded in D1,
 * then handed to every hook of the tenant subscribed to its type.
 */
export async function emitTenantEvent(env: Bindings, tenantId: string, type: TenantEventType, payload: Record<string, unknown>): Promise<void> {
  const notification = await insertNotification(env.DB, tenantId, type, payload);
  await deliverTenantEvent(env, notification);
}

/**
 * Fans a recorded tenant event out to every hook of the tenant subscribed to its type: one signed
 * delivery each, with the same retries, log and replay as task results. The notification's
 * `delivered_at` is set when the first of them is delivered.
 */
async function deliverTenantEvent(env: Bindings, event: StoredNotification): Promise<void> {
  const hooks = await hooksForEvent(env.DB, event.tenantId, event.type);
  if (hooks.length === 0) return;
  const deliveries: NewDelivery[] = hooks.map((hook) => {
    const id = newId('msg');
    return {
      id,
      tenant_id: event.tenantId,
      hook_id: hook.id,
      type: event.type,
      job_id: null,
      source_delivery_id: null,
      notification_id: event.id,
      body: JSON.stringify({ type: event.type, id, hook_id: hook.id, notification_id: event.id, data: event.payload, created_at: event.createdAt }),
      created_at: new Date().toISOString(),
    };
  });
  await createDeliveries(env.DB, deliveries);
  try {
    await env.JOBS.sendBatch(deliveries.map((delivery) => ({ body: { kind: 'deliver', deliveryId: delivery.id, series: 1 } satisfies JobsMessage })));
  } catch (error) {
    // The deliveries are recorded as pending: the scheduled sweep re-queues them. The caller's
    // own work (a chat turn, an admission) must not fail because the queue hiccuped.
    console.error(JSON.stringify({ level: 'error', tenant_id: event.tenantId, notification_id: event.id, error: `queueing event deliveries failed: ${String(error)}` }));
  }
}
