import type { Bindings } from '../contracts/env';
import { markDead } from '../storage/webhook-deliveries';
import { attemptDelivery } from './deliver';
import type { JobsMessage } from '../contracts/queue-messages';
import { processJob } from './process-job';

/** The webhooks' messages of a JOBS batch (src/index.ts hands classifier trainings to their own door). */
type JobsBatch = Pick<MessageBatch<JobsMessage>, 'queue' | 'messages'>;

/**
 * JOBS queue consumer. Messages are independent: each is acked on its own, and one that throws
 * (D1 or the queue unavailable) is retried by the queue, then goes to the dead-letter queue.
 */
export async function consumeJobs(batch: JobsBatch, env: Bindings, ctx: ExecutionContext): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        if (message.body.kind === 'job') await processJob(env, ctx, message.body);
        else await attemptDelivery(env, message.body);
        message.ack();
      } catch (error) {
        console.error(JSON.stringify({ level: 'error', queue: batch.queue, message: message.id, attempts: message.attempts, error: String(error) }));
        message.retry({ delaySeconds: Math.min(60, 2 ** message.attempts) });
      }
    }),
  );
}

/**
 * Dead-letter consumer: a message the consumer failed on every retry. A delivery is marked dead
 * (so the log says so and it can be replayed); a job is logged with its id for the operator.
 */
export async function consumeDeadJobs(batch: JobsBatch, env: Bindings): Promise<void> {
  for (const message of batch.messages) {
    if (message.body.kind === 'deliver') await markDead(env.DB, message.body.deliveryId, 'the delivery worker failed repeatedly; replay it');
    else console.error(JSON.stringify({ level: 'error', queue: batch.queue, job_id: message.body.jobId, hook_id: message.body.hookId, error: 'job failed on every retry' }));
    message.ack();
  }
}
