import type { Bindings } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import type { TenantPolicy } from '../contracts/policy';
import { unitVector } from '../lib/vectors';
import type { TaskContext } from '../pipeline/context';
import { estimateCost, runTask } from '../pipeline/run-task';
import { stepContext } from '../pipeline/step-context';
import { planProviders } from '../providers/router';
import { MAX_MEANING_ITEMS } from '../tasks/embed/limits';
import { embedModel } from '../tasks/embed/models';
import type { EmbedResult } from '../tasks/embed/schema';
import { embedTask } from '../tasks/embed/task';

/**
 * `features: "neural"`: a version trained on the tenant's neural embedding model's vectors instead
 * of the local word vectors (beside the same lexical n-grams). The examples are embedded through
 * the embed pipeline — cached per text, metered and billed as steps of the training request like
 * any embed call — and the version answers by embedding each text with the same model
 * (tasks/classify/trained.ts). Trained in the request only: 5,000 examples' vectors are too large
 * to park for the queue, and embedding them is the request's own cost.
 */

/** What embedding the examples cost, returned with the new version. */
export interface TrainingUsage {
  embedding_model: string;
  embedded_texts: number;
  cost_usd: number;
  neurons: number;
}

/**
 * The tenant's neural embedding model: the first step of its embed plan that is not the local
 * tier and runs a catalogued model (a tenant's own endpoint names none this deployment can price
 * or answer with). None: 400 naming `features`.
 */
export function neuralEmbeddingModel(env: Bindings, policy: TenantPolicy): string {
  let plan: ReturnType<typeof planProviders> = [];
  try {
    plan = planProviders(env, embedTask, policy);
  } catch {
    // No embed provider at all: the same answer as no neural one.
  }
  const step = plan.find((candidate) => candidate.mapping.provider !== 'local' && !candidate.tenantEndpoint && embedModel(candidate.model));
  if (!step) {
    // What the tenant's embed task runs on here: its own order, else the default, as planned (configured providers only).
    const order = policy.tasks.embed?.providers ?? plan.map((candidate) => candidate.mapping.provider);
    const runs = order.length > 0 ? order.join(', ') : 'none';
    throw new ApiError(
      400,
      'no_neural_embedding_provider',
      `features: "neural" trains on a neural embedding model, and this tenant has none configured for embed (its embed task runs on: ${runs}); use features: "local", or configure a Workers AI or Hugging Face embedding model for the tenant's embed task`,
      { param: 'features' },
    );
  }
  return step.model;
}

/** The most embedding the texts can cost, for admission to reserve before the tenant's model is known. */
export const neuralTrainingEstimate = (env: Bindings, texts: string[]) => estimateCost(env, embedTask, { text: texts });

/** Embeds the texts with `model` through the embed pipeline, 100 per call (the embedding models' limit): unit vectors, in order, and what they cost. */
export async function embedForTraining(ctx: TaskContext, texts: string[], model: string): Promise<{ vectors: Float32Array[]; usage: TrainingUsage }> {
  const vectors: Float32Array[] = [];
  const usage: TrainingUsage = { embedding_model: model, embedded_texts: texts.length, cost_usd: 0, neurons: 0 };
  for (let start = 0; start < texts.length; start += MAX_MEANING_ITEMS) {
    const step = `classifier-embed-${start / MAX_MEANING_ITEMS}`;
    const { envelope } = await runTask<EmbedResult>(stepContext(ctx, step), embedTask, { text: texts.slice(start, start + MAX_MEANING_ITEMS), model });
    for (const result of envelope.results) vectors.push(unitVector(result.embedding));
    usage.cost_usd += envelope.usage.cost_usd;
    usage.neurons += envelope.usage.neurons ?? 0;
  }
  usage.cost_usd = Math.round(usage.cost_usd * 1e9) / 1e9;
  return { vectors, usage };
}
