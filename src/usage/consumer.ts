import type { Bindings } from '../env';
import { insertUsageEvents } from '../storage/usage';
import type { UsageEvent } from './event';

/** Queue consumer: writes a batch of usage events to D1; a failed batch is retried whole. */
export async function consumeUsage(batch: MessageBatch<UsageEvent>, env: Bindings): Promise<void> {
  await insertUsageEvents(env.DB, batch.messages.map((message) => message.body));
  batch.ackAll();
}
