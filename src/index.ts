import { createApp } from './app';
import type { Bindings } from './contracts/env';
import { consumeIngest } from './kb/consumer';
import { consumeBatchChunks, consumeDeadBatchChunks } from './batches/consumer';
import { batchMaintenance } from './batches/maintenance';
import type { BatchChunkMessage, ClassifierTrainMessage, IngestMessage, JobsMessage, JobsQueueMessage, UsageMessage } from './contracts/queue-messages';
import { consumeTrainingMessage, failTrainingMessage } from './classifiers/training';
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

type QueueMessage = UsageMessage | IngestMessage | JobsQueueMessage;

const isTraining = (message: Message<JobsQueueMessage>): message is Message<ClassifierTrainMessage> => message.body.kind === 'classifier.train';
const isBatchChunk = (message: Message<JobsQueueMessage>): message is Message<BatchChunkMessage> => message.body.kind === 'batch.chunk';

/**
 * The JOBS queue carries the webhooks' messages, classifier trainings and batch chunks: each kind
 * to its door. A training is acked on its own, retried on a storage error; from the dead-letter
 * queue (`dead`), its version is marked failed, and a batch chunk's items fail.
 */
async function consumeJobsQueue(batch: MessageBatch<JobsQueueMessage>, env: Bindings, ctx: ExecutionContext, dead: boolean): Promise<void> {
  const trainings = batch.messages.filter(isTraining);
  const chunks = batch.messages.filter(isBatchChunk);
  const webhooks = batch.messages.filter((message): message is Message<JobsMessage> => !isTraining(message) && !isBatchChunk(message));
  const webhookBatch = { queue: batch.queue, messages: webhooks };
  await Promise.all([
    ...trainings.map(async (message) => {
      try {
        await (dead ? failTrainingMessage(env, message.body) : consumeTrainingMessage(env, message.body));
        message.ack();
      } catch (error) {
        console.error(JSON.stringify({ level: 'error', queue: batch.queue, message: message.id, attempts: message.attempts, error: String(error) }));
        message.retry({ delaySeconds: Math.min(60, 2 ** message.attempts) });
      }
    }),
    chunks.length > 0 ? (dead ? consumeDeadBatchChunks(chunks, env) : consumeBatchChunks(chunks, env, ctx)) : undefined,
    webhooks.length > 0 ? (dead ? consumeDeadJobs(webhookBatch, env) : consumeJobs(webhookBatch, env, ctx)) : undefined,
  ]);
}

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<QueueMessage>, env: Bindings, ctx: ExecutionContext): Promise<void> {
    if (batch.queue === INGEST_QUEUE) return consumeIngest(batch as MessageBatch<IngestMessage>, env, ctx);
    const jobs = batch as MessageBatch<JobsQueueMessage>;
    if (batch.queue === JOBS_QUEUE) return consumeJobsQueue(jobs, env, ctx, false);
    if (batch.queue === JOBS_DEAD_LETTER_QUEUE) return consumeJobsQueue(jobs, env, ctx, true);
    if (batch.queue === USAGE_DEAD_LETTER_QUEUE) return consumeDeadUsage(batch as MessageBatch<UsageMessage>, env);
    await consumeUsage(batch as MessageBatch<UsageMessage>, env);
  },
  async scheduled(_controller: ScheduledController, env: Bindings, ctx: ExecutionContext): Promise<void> {
    ctx.waitUntil(webhookMaintenance(env));
    ctx.waitUntil(batchMaintenance(env));
  },
} satisfies ExportedHandler<Bindings, QueueMessage>;
