import type { UsageEvent } from '../../contracts/queue-messages';

/** Queues' most messages in one `sendBatch`. */
const SEND_BATCH = 100;

/**
 * Usage events handed to the guard with a returned lease: written to the guard's SQLite storage in
 * the same event that settles the lease (so once `returnLease` has answered, they cannot be lost),
 * then sent to the USAGE queue in batches and deleted. A failed send leaves them here; the guard's
 * alarm tries again.
 */
export class UsageOutbox {
  constructor(private readonly sql: SqlStorage, private readonly queue: Queue<UsageEvent>) {
    sql.exec('CREATE TABLE IF NOT EXISTS usage_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)');
  }

  add(events: UsageEvent[]): void {
    for (const event of events) this.sql.exec('INSERT INTO usage_outbox (body) VALUES (?)', JSON.stringify(event));
  }

  get size(): number {
    return this.sql.exec<{ n: number }>('SELECT COUNT(*) AS n FROM usage_outbox').one().n;
  }

  /** Sends everything held, oldest first. Resolves false when a send failed (the rest stays held). */
  async flush(): Promise<boolean> {
    for (;;) {
      const rows = [...this.sql.exec<{ seq: number; body: string }>('SELECT seq, body FROM usage_outbox ORDER BY seq LIMIT ?', SEND_BATCH)];
      if (rows.length === 0) return true;
      try {
        await this.queue.sendBatch(rows.map((row) => ({ body: JSON.parse(row.body) as UsageEvent })));
      } catch (error) {
        console.error(JSON.stringify({ level: 'error', held: rows.length, error: `usage outbox send failed: ${String(error)}`, next: 'retrying on the alarm' }));
        return false;
      }
      this.sql.exec('DELETE FROM usage_outbox WHERE seq <= ?', rows[rows.length - 1]!.seq);
    }
  }
}
