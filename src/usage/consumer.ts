import type { Bindings } from '../contracts/env';
import { insertUsageEvents, keepDeadUsageEvent } from '../storage/usage';
import type { UsageEvent, UsageEventPack, UsageMessage } from '../contracts/queue-messages';

/** The events a USAGE message carries: one, or a pack of a returned lease's. */
export function eventsIn(message: UsageMessage): UsageEvent[] {
  const pack = message as Partial<UsageEventPack> | null;
  return pack?.kind === 'usage.pack' && Array.isArray(pack.events) ? pack.events : [message as UsageEvent];
}

/**
 * Queue consumer: writes a batch's usage events to D1 in one D1 batch. If that fails, message by
 * message, so one message D1 refuses does not hold back the rest of its batch (retried whole, they
 * would all end in the dead-letter queue together). Every write is `INSERT OR IGNORE` on the
 * request id, so a redelivered message adds nothing twice.
 */
export async function consumeUsage(batch: MessageBatch<UsageMessage>, env: Bindings): Promise<void> {
  try {
    await insertUsageEvents(env.DB, batch.messages.flatMap((message) => eventsIn(message.body)));
    batch.ackAll();
    return;
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', queue: batch.queue, messages: batch.messages.length, error: String(error), next: 'writing one by one' }));
  }
  for (const message of batch.messages) {
    try {
      await insertUsageEvents(env.DB, eventsIn(message.body));
      message.ack();
    } catch (error) {
      const events = eventsIn(message.body);
      console.error(JSON.stringify({ level: 'error', queue: batch.queue, message: message.id, attempts: message.attempts, events: events.length, request_id: events[0]?.request_id, error: String(error) }));
      message.retry({ delaySeconds: Math.min(60, 2 ** message.attempts) });
    }
  }
}

/**
 * The usage dead-letter queue's consumer: one last try to write each event (a D1 outage may have
 * passed); what still fails is kept verbatim in `usage_dead_letters` with the reason, never dropped.
 * A pack is tried event by event, so one event D1 refuses keeps only itself there.
 */
export async function consumeDeadUsage(batch: MessageBatch<UsageMessage>, env: Bindings): Promise<void> {
  for (const message of batch.messages) {
    const events = eventsIn(message.body);
    for (const [index, event] of events.entries()) {
      try {
        await insertUsageEvents(env.DB, [event]);
      } catch (error) {
        const id = events.length === 1 ? message.id : `${message.id}#${index}`;
        await keepDeadUsageEvent(env.DB, id, event, String(error));
        console.error(JSON.stringify({ level: 'error', queue: batch.queue, message: id, request_id: event?.request_id, error: String(error), next: 'kept in usage_dead_letters' }));
      }
    }
    message.ack();
  }
}
