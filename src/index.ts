import { createApp } from './app';
import type { Bindings } from './env';
import { consumeIngest } from './kb/consumer';
import type { IngestMessage } from './kb/ingest-message';
import { consumeUsage } from './usage/consumer';
import type { UsageEvent } from './usage/event';

export { FlightCoordinator } from './durable-objects/flight-coordinator';
export { TenantGuard } from './durable-objects/tenant-guard';

const app = createApp();

/** Queue names from wrangler.toml; each queue has one consumer. */
const INGEST_QUEUE = 'minnow-ingest';

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<UsageEvent | IngestMessage>, env: Bindings, ctx: ExecutionContext): Promise<void> {
    if (batch.queue === INGEST_QUEUE) return consumeIngest(batch as MessageBatch<IngestMessage>, env, ctx);
    await consumeUsage(batch as MessageBatch<UsageEvent>, env);
  },
} satisfies ExportedHandler<Bindings, UsageEvent | IngestMessage>;
