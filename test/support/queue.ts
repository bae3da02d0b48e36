import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import worker from '../../src/index';

/**
 * Delivers `bodies` to the Worker's queue handler as one batch of `queue`, as the queue would
 * (`attempts` counts deliveries; message ids are m0, m1, …), and returns what it acked and retried.
 */
export async function deliver<T>(queue: string, bodies: T[], attempts = 1, bindings: Cloudflare.Env = env) {
  const batch = createMessageBatch<T>(queue, bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts, body })));
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<never>, bindings, ctx);
  return getQueueResult(batch, ctx);
}
