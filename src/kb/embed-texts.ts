import type { Bindings } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { runTask, estimateCost } from '../pipeline/run-task';
import type { TaskContext } from '../pipeline/context';
import { stepContext } from '../pipeline/step-context';
import { MAX_MEANING_ITEMS } from '../tasks/embed/limits';
import type { EmbedResult } from '../tasks/embed/schema';
import { embedTask } from '../tasks/embed/task';
import type { KnowledgeBase } from '../storage/knowledge-bases';
import { unitVector } from '../lib/vectors';

/**
 * Embeds texts with the knowledge base's own model (the request names it, so the embed task's plan
 * runs exactly that model), through the embed pipeline (cached per text,
 * metered as steps of the caller's request): at most 100 texts per call, the embedding models' limit.
 */
export async function embedTexts(ctx: TaskContext, kb: KnowledgeBase, texts: string[], step: string): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += MAX_MEANING_ITEMS) {
    const batch = texts.slice(i, i + MAX_MEANING_ITEMS);
    const name = texts.length > MAX_MEANING_ITEMS ? `${step}-${i / MAX_MEANING_ITEMS}` : step;
    const { envelope } = await runTask<EmbedResult>(stepContext(ctx, name), embedTask, { text: batch, model: kb.embedding.model });
    for (const result of envelope.results) {
      if (result.dims !== kb.embedding.dimensions) {
        throw new ApiError(502, 'embedding_dimensions_mismatch', `The embedding model answered ${result.dims} dimensions; this knowledge base holds ${kb.embedding.dimensions}`);
      }
      vectors.push(unitVector(result.embedding));
    }
  }
  return vectors;
}

/**
 * The most embedding `texts` can cost, for admission: on the knowledge base's `model` when it is
 * known (a local-vector knowledge base costs $0), else on any embedding model this deployment has.
 */
export function embeddingEstimate(env: Bindings, texts: string[], model?: string): { usd: number; neurons: number } {
  return texts.length === 0 ? { usd: 0, neurons: 0 } : estimateCost(env, embedTask, { text: texts, ...(model ? { model } : {}) });
}
