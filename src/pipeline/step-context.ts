import type { TaskContext } from './run-task';

/**
 * The context for one step of a larger operation (a chat turn embeds the question, moderates,
 * generates): same tenant, key and admission, its own request id so each step is metered as its
 * own usage event (`<request id>:<step>`), which the usage consumer deduplicates on.
 */
export function stepContext(ctx: TaskContext, step: string): TaskContext {
  return { ...ctx, requestId: `${ctx.requestId}:${step}` };
}
