import { createApp } from './app';
import type { Bindings } from './contracts/env';
import { consumeIngest } from './kb/consumer';
import type { IngestMessage, JobsMessage, UsageEvent } from './contracts/queue-messages';
import { consumeDeadUsage, consumeUsage } from './usage/consumer';
import { consumeDeadJobs, consumeJobs } from './webhooks/consumer';
import { webhookMaintenance } from './webhooks/maintenance';

export { AuthThrottle } from './durable-objects/auth-throttle/auth-throttle';
export { FlightCoordinator } from './durable-objects/flight-coordinator/flight-coordinator';
export { TenantGuard } from './durable-objects/tenant-guard/tenant-guard';

const app = createApp();

/** Queue names as in wrangler.toml; each consumer is chosen by the batch's queue. */
const INGEST_QUEUE = 'minnow-ingest';
const JOBS_QUEUE = 'minnow-jobs';
const JOBS_DEAD_LETTER_QUEUE = 'minnow-jobs-dlq';
const USAGE_DEAD_LETTER_QUEUE = 'minnow-usage-dlq';

type QueueMessage = UsageEvent | IngestMessage | JobsMessage;

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<QueueMessage>, env: Bindings, ctx: ExecutionContext): Promise<void> {
    if (batch.queue === INGEST_QUEUE) return consumeIngest(batch as MessageBatch<IngestMessage>, env, ctx);
    if (batch.queue === JOBS_QUEUE) return consumeJobs(batch as MessageBatch<JobsMessage>, env, ctx);
    if (batch.queue === JOBS_DEAD_LETTER_QUEUE) return consumeDeadJobs(batch as MessageBatch<JobsMessage>, env);
    if (batch.queue === USAGE_DEAD_LETTER_QUEUE) return consumeDeadUsage(batch as MessageBatch<UsageEvent>, env);
    await consumeUsage(batch as MessageBatch<UsageEvent>, env);
  },
  async scheduled(_controller: ScheduledController, env: Bindings, ctx: ExecutionContext): Promise<void> {
    ctx.waitUntil(webhookMaintenance(env));
  },
} satisfies ExportedHandler<Bindings, QueueMessage>;
