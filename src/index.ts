import { createApp } from './app';
import type { Bindings } from './contracts/env';
import { consumeIngest } from './kb/consumer';
import { consumeBatchChunks, consumeDeadBatchChunks } from './batches/consumer';
import { batchMaintenance } from './batches/maintenance';
import type { BatchChunkMessage, IngestMessage, JobsMessage, JobsQueueMessage, UsageEvent } from './contracts/queue-messages';
import { consumeDeadUsage, consumeUsage } from './usage/consumer';
import { consumeDeadJobs, consumeJobs } from './webhooks/consumer';
import { webhookMaintenance } from './webhooks/maintenance';

export { FlightCoordinator } from './durable-objects/flight-coordinator/flight-coordinator';
export { TenantGuard } from './durable-objects/tenant-guard/tenant-guard';

const app = createApp();

/** Queue names as in wrangler.toml; each consumer is chosen by the batch's queue. */
const INGEST_QUEUE = 'minnow-ingest';
const JOBS_QUEUE = 'minnow-jobs';
const JOBS_DEAD_LETTER_QUEUE = 'minnow-jobs-dlq';
const USAGE_DEAD_LETTER_QUEUE = 'minnow-usage-dlq';

type QueueMessage = UsageEvent | IngestMessage | JobsQueueMessage;

/** The JOBS queue carries webhook work and batch chunks: each goes to its own door's consumer. */
function splitJobs(batch: MessageBatch<JobsQueueMessage>) {
  const chunks = batch.messages.filter((message): message is Message<BatchChunkMessage> => message.body.kind === 'batch.chunk');
  const webhooks = batch.messages.filter((message): message is Message<JobsMessage> => message.body.kind !== 'batch.chunk');
  return { chunks, webhooks: { queue: batch.queue, messages: webhooks } };
}

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<QueueMessage>, env: Bindings, ctx: ExecutionContext): Promise<void> {
    if (batch.queue === INGEST_QUEUE) return consumeIngest(batch as MessageBatch<IngestMessage>, env, ctx);
    if (batch.queue === JOBS_QUEUE) {
      const { chunks, webhooks } = splitJobs(batch as MessageBatch<JobsQueueMessage>);
      await Promise.all([consumeBatchChunks(chunks, env, ctx), consumeJobs(webhooks, env, ctx)]);
      return;
    }
    if (batch.queue === JOBS_DEAD_LETTER_QUEUE) {
      const { chunks, webhooks } = splitJobs(batch as MessageBatch<JobsQueueMessage>);
      await Promise.all([consumeDeadBatchChunks(chunks, env), consumeDeadJobs(webhooks, env)]);
      return;
    }
    if (batch.queue === USAGE_DEAD_LETTER_QUEUE) return consumeDeadUsage(batch as MessageBatch<UsageEvent>, env);
    await consumeUsage(batch as MessageBatch<UsageEvent>, env);
  },
  async scheduled(_controller: ScheduledController, env: Bindings, ctx: ExecutionContext): Promise<void> {
    ctx.waitUntil(webhookMaintenance(env));
    ctx.waitUntil(batchMaintenance(env));
  },
} satisfies ExportedHandler<Bindings, QueueMessage>;
