import type { Context } from 'hono';
import type { AppEnv } from '../../contracts/env';
import { admitTask } from '../../admission/admit';
import { runTask, type TaskOutcome } from '../../pipeline/run-task';
import { embedPolicy } from './plan';
import type { EmbedRequest, EmbedResult } from './schema';
import { embedTask } from './task';

/**
 * Both doors to embeddings (`/v1/embed` and the OpenAI-compatible `/v1/embeddings`) go through
 * this: admission as the `embed` task, the request's model steering the plan, then the pipeline.
 */
export async function runEmbed(c: Context<AppEnv>, input: EmbedRequest): Promise<TaskOutcome<EmbedResult>> {
  const context = await admitTask(c, embedTask, input);
  const policy = embedPolicy(c.env, embedTask, context.policy, input.model);
  return runTask<EmbedResult>({ ...context, policy }, embedTask, input);
}
