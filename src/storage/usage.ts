import type { UsageEvent } from '../contracts/queue-messages';

/**
 * Usage events one INSERT carries, read from a JSON array with `json_each`: binding each column
 * would fit 6 events in D1's 100 parameters a query, and a statement per event spent D1's 1,000
 * queries per invocation (50 on the Free plan) a hundred events at a time. A pack of 100 is ~50 KB,
 * far under D1's 2 MB string limit.
 */
const EVENTS_PER_STATEMENT = 100;

const USAGE_COLUMNS = ['request_id', 'tenant_id', 'key_id', 'task', 'model', 'provider', 'cache_status', 'cascade_step', 'items', 'cached_items', 'units', 'cost_usd', 'baseline_cost_usd', 'neurons', 'latency_ms', 'created_at'] as const satisfies readonly (keyof UsageEvent)[];

/**
 * Only a repeated request id is skipped (`ON CONFLICT (request_id) DO NOTHING`), not `OR IGNORE`:
 * that would also skip, silently, an event missing a NOT NULL field — such an event must fail, be
 * retried and end in the dead letters. (`WHERE true` is SQLite's way to parse an upsert after a SELECT.)
 */
const INSERT_FROM_JSON = `INSERT INTO usage_events (${USAGE_COLUMNS.join(', ')})
  SELECT ${USAGE_COLUMNS.map((column) => `json_extract(value, '$.${column}')`).join(', ')}
  FROM json_each(?) WHERE true ORDER BY key
  ON CONFLICT (request_id) DO NOTHING`;

/** Writes events in one D1 batch (one transaction); a request id already written adds nothing. */
export async function insertUsageEvents(db: D1Database, events: UsageEvent[]): Promise<void> {
  if (events.length === 0) return;
  const statement = db.prepare(INSERT_FROM_JSON);
  const statements: D1PreparedStatement[] = [];
  for (let start = 0; start < events.length; start += EVENTS_PER_STATEMENT) {
    statements.push(statement.bind(JSON.stringify(events.slice(start, start + EVENTS_PER_STATEMENT).map(onlyColumns))));
  }
  await db.batch(statements);
}

/** The event's columns alone: a sender's extra fields must not ride into the JSON (or its size). */
function onlyColumns(event: UsageEvent): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const column of USAGE_COLUMNS) row[column] = event[column];
  return row;
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
