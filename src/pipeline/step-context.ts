import { guardFor } from '../durable-objects/tenant-guard/client';
import type { TaskContext } from './context';

/**
 * The context for one step of a larger operation (a chat turn embeds the question, moderates,
 * generates): same tenant, key and admission, its own request id so each step is metered as its
 * own usage event (`<request id>:<step>`), which the usage consumer deduplicates on.
 */
export function stepContext(ctx: TaskContext, step: string): TaskContext {
  return { ...ctx, requestId: `${ctx.requestId}:${step}` };
}

export interface HeldReservation {
  /** The context the operation's steps run with: each charges what it cost, none touches the reservation. */
  steps: TaskContext;
  /** Releases the reservation (idempotent). Call once the operation's last step is done, however it ended. */
  release(): void;
}

/**
 * Keeps the budget reservation admission made for a multi-step operation until the whole operation
 * is done. Left in the context, the first step to settle would release it, and the later steps
 * (generation, after moderation) would run unreserved — concurrent operations could then spend
 * past a cap together. Streamed operations release when their stream ends.
 */
export function holdReservation(ctx: TaskContext): HeldReservation {
  const { reservation, ...steps } = ctx;
  let released = false;
  return {
    steps,
    release() {
      if (released || !reservation) return;
      released = true;
      ctx.waitUntil(guardFor(ctx.env, ctx.policy.tenantId).settle(reservation, { usd: 0, neurons: 0 }));
    },
  };
}

/** Runs a multi-step operation under one held reservation, released however it ends. */
export async function withHeldReservation<T>(ctx: TaskContext, operation: (steps: TaskContext) => Promise<T>): Promise<T> {
  const held = holdReservation(ctx);
  try {
    return await operation(held.steps);
  } finally {
    held.release();
  }
}
