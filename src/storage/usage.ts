import type { UsageEvent } from '../contracts/queue-messages';

/**
 * Inserts a batch of usage events in one D1 batch. `INSERT OR IGNORE` on the request id makes a
 * redelivered queue message harmless.
 */
export async function insertUsageEvents(db: D1Database, events: UsageEvent[]): Promise<void> {
  if (events.length === 0) return;
  const statement = db.prepare(
    `INSERT OR IGNORE INTO usage_events
       (request_id, tenant_id, key_id, task, model, provider, cache_status, cascade_step, items, cached_items, units, cost_usd, baseline_cost_usd, neurons, latency_ms, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  await db.batch(
    events.map((e) =>
      statement.bind(e.request_id, e.tenant_id, e.key_id, e.task, e.model, e.provider, e.cache_status, e.cascade_step, e.items, e.cached_items, e.units, e.cost_usd, e.baseline_cost_usd, e.neurons, e.latency_ms, e.created_at),
    ),
  );
}

export async function usageForTenant(db: D1Database, tenantId: string): Promise<UsageEvent[]> {
  const { results } = await db.prepare('SELECT * FROM usage_events WHERE tenant_id = ? ORDER BY created_at').bind(tenantId).all<UsageEvent>();
  return results;
}

/** Keeps a usage event that could not be written, verbatim, for an operator (see migration 0006). */
export async function keepDeadUsageEvent(db: D1Database, messageId: string, body: unknown, error: string): Promise<void> {
  const event = (body ?? {}) as Partial<UsageEvent>;
  await db
    .prepare('INSERT OR IGNORE INTO usage_dead_letters (message_id, tenant_id, request_id, body, error, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(messageId, typeof event.tenant_id === 'string' ? event.tenant_id : null, typeof event.request_id === 'string' ? event.request_id : null, JSON.stringify(body ?? null), error.slice(0, 1_000), new Date().toISOString())
    .run();
}
