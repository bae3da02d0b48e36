import type { Bindings } from '../contracts/env';
import { createDeliveries, type NewDelivery } from '../storage/webhook-deliveries';
import { hooksForEvent } from '../storage/webhooks';
import { newId } from '../security/crypto';
import type { JobsMessage } from '../contracts/queue-messages';

/**
 * Fans a recorded tenant event out to every hook of the tenant subscribed to its type: one signed
 * delivery each, with the same retries, log and replay as task results. The notification's
 * `delivered_at` is set when the first of them is delivered.
 */
export async function deliverTenantEvent(env: Bindings, event: { notificationId: string; tenantId: string; type: string; payload: Record<string, unknown>; createdAt: string }): Promise<void> {
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
      notification_id: event.notificationId,
      body: JSON.stringify({ type: event.type, id, hook_id: hook.id, notification_id: event.notificationId, data: event.payload, created_at: event.createdAt }),
      created_at: new Date().toISOString(),
    };
  });
  await createDeliveries(env.DB, deliveries);
  try {
    await env.JOBS.sendBatch(deliveries.map((delivery) => ({ body: { kind: 'deliver', deliveryId: delivery.id, series: 1 } satisfies JobsMessage })));
  } catch (error) {
    // The deliveries are recorded as pending: the scheduled sweep re-queues them. The caller's
    // own work (a chat turn, an admission) must not fail because the queue hiccuped.
    console.error(JSON.stringify({ level: 'error', tenant_id: event.tenantId, notification_id: event.notificationId, error: `queueing event deliveries failed: ${String(error)}` }));
  }
}
