import type { Bindings } from '../contracts/env';
import { insertUsageEvents, keepDeadUsageEvent } from '../storage/usage';
import type { UsageEvent } from '../contracts/queue-messages';

/**
 * Queue consumer: writes a batch of usage events to D1 in one D1 batch. If that fails, the events
 * are written one by one, so a single event D1 refuses does not hold back the rest of its batch
 * (retried whole, they would all end in the dead-letter queue together). Every write is
 * `INSERT OR IGNORE` on the request id, so a redelivered batch adds nothing twice.
 */
export async function consumeUsage(batch: MessageBatch<UsageEvent>, env: Bindings): Promise<void> {
  try {
    await insertUsageEvents(env.DB, batch.messages.map((message) => message.body));
    batch.ackAll();
    return;
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', queue: batch.queue, messages: batch.messages.length, error: String(error), next: 'writing one by one' }));
  }
  for (const message of batch.messages) {
    try {
      await insertUsageEvents(env.DB, [message.body]);
      message.ack();
    } catch (error) {
      console.error(JSON.stringify({ level: 'error', queue: batch.queue, message: message.id, attempts: message.attempts, request_id: message.body?.request_id, error: String(error) }));
      message.retry({ delaySeconds: Math.min(60, 2 ** message.attempts) });
    }
  }
}

/**
 * The usage dead-letter queue's consumer: one last try to write each event (a D1 outage may have
 * passed); what still fails is kept verbatim in `usage_dead_letters` with the reason, never dropped.
 */
export async function consumeDeadUsage(batch: MessageBatch<UsageEvent>, env: Bindings): Promise<void> {
  for (const message of batch.messages) {
    try {
      await insertUsageEvents(env.DB, [message.body]);
    } catch (error) {
      await keepDeadUsageEvent(env.DB, message.id, message.body, String(error));
      console.error(JSON.stringify({ level: 'error', queue: batch.queue, message: message.id, request_id: message.body?.request_id, error: String(error), next: 'kept in usage_dead_letters' }));
    }
    message.ack();
  }
}
