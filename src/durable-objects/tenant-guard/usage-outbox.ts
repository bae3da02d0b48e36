import type { UsageEvent, UsageEventPack, UsageMessage } from '../../contracts/queue-messages';

/** Events per send: one row, one pack. */
const SEND_BATCH = 100;

/** A pack's most JSON bytes: a Queues message holds at most 128 KB (a hundred events are ~50 KB). */
const PACK_BYTES = 96_000;

/**
 * Usage events handed to the guard with a returned lease: written to the guard's SQLite storage in
 * the same event that settles the lease (so once `returnLease` has answered, they cannot be lost),
 * then sent to the USAGE queue, a hundred to a message (a pack), and deleted. A failed send leaves them here; the guard's
 * alarm tries again.
 *
 * One row holds one send's worth of events (a JSON array of at most SEND_BATCH): a lease returns
 * hundreds of events, and a statement per event was most of what the guard spent on them (measured
 * with `npm run bench:profile`). A row written before this layout holds one event object.
 */
export class UsageOutbox {
  constructor(private readonly sql: SqlStorage, private readonly queue: Queue<UsageMessage>) {
    sql.exec('CREATE TABLE IF NOT EXISTS usage_outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL)');
  }

  /**
   * Writes `events` (durable once the guard's answer is out) and sends them straight from memory,
   * deleting each row once the queue has it: no read-back on the way. A send that fails leaves
   * its rows for `flush`, and resolves false. The alarm's flush may then send a row this is also
   * sending; the usage consumer keeps one row per request id, so a repeat is harmless.
   */
  add(events: UsageEvent[]): () => Promise<boolean> {
    const stored: { seq: number; events: UsageEvent[]; bytes: number }[] = [];
    for (let start = 0; start < events.length; start += SEND_BATCH) {
      const part = events.slice(start, start + SEND_BATCH);
      const body = JSON.stringify(part);
      const { seq } = this.sql.exec<{ seq: number }>('INSERT INTO usage_outbox (body) VALUES (?) RETURNING seq', body).one();
      stored.push({ seq, events: part, bytes: body.length });
    }
    return async () => {
      for (const { seq, events: part, bytes } of stored) {
        if (!(await this.send(part, bytes))) return false;
        this.sql.exec('DELETE FROM usage_outbox WHERE seq = ?', seq);
      }
      return true;
    };
  }

  /** How many events are held (not rows). */
  get size(): number {
    let events = 0;
    for (const row of this.sql.exec<{ body: string }>('SELECT body FROM usage_outbox')) events += eventsOf(row.body).length;
    return events;
  }

  /** Sends everything held, oldest first. Resolves false when a send failed (the rest stays held). */
  async flush(): Promise<boolean> {
    for (;;) {
      // Whole rows, oldest first, up to one send's worth (a row never holds more than that); the
      // cursor is read only as far as that.
      const batch: UsageEvent[] = [];
      let bytes = 0;
      let last = 0;
      for (const row of this.sql.exec<{ seq: number; body: string }>('SELECT seq, body FROM usage_outbox ORDER BY seq')) {
        const events = eventsOf(row.body);
        if (batch.length > 0 && batch.length + events.length > SEND_BATCH) break;
        batch.push(...events);
        bytes += row.body.length;
        last = row.seq;
      }
      if (batch.length === 0) return true;
      if (!(await this.send(batch, bytes))) return false;
      this.sql.exec('DELETE FROM usage_outbox WHERE seq <= ?', last);
    }
  }

  /** `bytes`: the events' JSON size, known from their rows (at least the size of their one array). */
  private async send(events: UsageEvent[], bytes: number): Promise<boolean> {
    try {
      await this.queue.sendBatch(packsOf(events, bytes).map((body) => ({ body })));
      return true;
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', held: events.length, error: `usage outbox send failed: ${String(error)}`, next: 'retrying on the alarm' }));
      return false;
    }
  }
}

/**
 * Events in packs within a message's size: one pack, unless unusually long fields make it larger
 * (`bytes`, their JSON size, is known from the stored rows; only halves are measured again).
 */
export function packsOf(events: UsageEvent[], bytes: number): UsageEventPack[] {
  if (events.length > 1 && bytes > PACK_BYTES) {
    const half = Math.ceil(events.length / 2);
    const [first, second] = [events.slice(0, half), events.slice(half)];
    return [...packsOf(first, JSON.stringify(first).length), ...packsOf(second, JSON.stringify(second).length)];
  }
  return [{ kind: 'usage.pack', events }];
}

function eventsOf(body: string): UsageEvent[] {
  const parsed = JSON.parse(body) as UsageEvent | UsageEvent[];
  return Array.isArray(parsed) ? parsed : [parsed];
}
