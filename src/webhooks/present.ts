import type { AttemptRow, DeliveryRow } from '../storage/webhook-deliveries';
import type { Hook } from '../storage/webhooks';

/** A hook as the API shows it: never a secret, only the scheme and a rotation's end. */
export function presentHook(hook: Hook, origin: string) {
  const stillValid = (until: string | null | undefined) => (until && Date.parse(until) > Date.now() ? until : null);
  return {
    id: hook.id,
    object: 'webhook' as const,
    name: hook.name,
    inbound_url: hook.verify && hook.tasks.length > 0 ? `${origin}/hooks/${hook.id}` : null,
    verify: hook.verify ? { scheme: hook.verify.scheme, previous_secret_valid_until: stillValid(hook.verify.previousExpiresAt) } : null,
    signing: { previous_secret_valid_until: stillValid(hook.signingPreviousExpiresAt) },
    tasks: hook.tasks,
    events: hook.events,
    destination: { url: hook.destinationUrl },
    created_at: hook.createdAt,
    updated_at: hook.updatedAt,
  };
}

export function presentDelivery(row: DeliveryRow) {
  return {
    id: row.id,
    object: 'webhook.delivery' as const,
    hook_id: row.hook_id,
    type: row.type,
    status: row.status,
    attempts: row.attempts,
    last_status: row.last_status,
    last_error: row.last_error,
    created_at: row.created_at,
    delivered_at: row.delivered_at,
    next_attempt_at: row.status === 'pending' ? row.next_attempt_at : null,
    job_id: row.job_id,
    source_delivery_id: row.source_delivery_id,
    notification_id: row.notification_id,
    body_pruned_at: row.body_pruned_at,
  };
}

export function presentDeliveryDetail(row: DeliveryRow, attempts: AttemptRow[]) {
  return {
    ...presentDelivery(row),
    payload: row.body === null ? null : (JSON.parse(row.body) as Record<string, unknown>),
    attempt_log: attempts,
  };
}
