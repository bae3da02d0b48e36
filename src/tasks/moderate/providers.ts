import { textClassification } from '@huggingface/inference';
import { z } from 'zod';
import { mapWithConcurrency } from '../../providers/concurrency';
import { callHuggingFace, viaEndpoint } from '../../providers/huggingface/transport';
import type { TaskProvider } from '../../providers/types';
import { malformedUpstreamResponse } from '../../providers/upstream-errors';
import { runWorkersAi } from '../../providers/workers-ai/transport';
import { parseLlamaGuard } from './llama-guard';
import { moderateLocally } from './local-moderation';
import type { LocalReadShare } from '../local-window';
import { HF_MODERATION_MODEL, LOCAL_MODERATION_MODEL, WORKERS_AI_MODERATION_MODEL } from './models';
import { capForLanguage, otherLanguageOf } from '../english-only';
import { moderationResult, type ModerateResult } from './schema';

const UPSTREAM_CONCURRENCY = 4;
/** Enough for toxic-bert's six labels and a tenant model's somewhat larger set. */
const CLASSIFIER_TOP_K = 10;
/** Labels a tenant's binary toxicity model may use for "fine"; they never flag. */
const SAFE_LABELS = new Set(['neutral', 'non-toxic', 'non_toxic', 'nontoxic', 'not_toxic', 'safe', 'ok', 'clean', 'normal', 'none']);

const labelScores = z.array(z.object({ label: z.string(), score: z.number() }));

export const workersAiModerate: TaskProvider<string, ModerateResult> = {
  provider: 'workers-ai',
  model: WORKERS_AI_MODERATION_MODEL,
  run(call) {
    return mapWithConcurrency(call.items, UPSTREAM_CONCURRENCY, async (text) =>
      parseLlamaGuard(await runWorkersAi(call, { messages: [{ role: 'user', content: text }], response_format: { type: 'json_object' } })),
    );
  },
};

/** Multi-label scores → the categories at or above the threshold (label names lower-cased). */
export function fromToxicityScores(raw: unknown): ModerateResult {
  const parsed = labelScores.safeParse(raw);
  if (!parsed.success) throw malformedUpstreamResponse('huggingface', 'expected [{label, score}]');
  const scores = parsed.data
    .map(({ label, score }) => ({ category: label.trim().toLowerCase().replace(/[\s-]+/g, '_'), score }))
    .filter(({ category }) => !SAFE_LABELS.has(category) && !SAFE_LABELS.has(category.replace(/_/g, '-')));
  return moderationResult(scores);
}

/** Endpoints answer flat `[{label, score}]` or nested `[[…]]`; the client accepts only nested. */
const nestClassification = (body: unknown) => (Array.isArray(body) && body.length > 0 && !Array.isArray(body[0]) ? [body] : body);

const sigmoid = (logit: number) => 1 / (1 + Math.exp(-logit));

/**
 * An endpoint asked for `raw_scores` answers logits if it is TEI, probabilities if it is the
 * Inference Toolkit (which ignores the field). Probabilities lie in 0–1; a score outside it can
 * only be a logit, and then all of them are. (A TEI answer whose six logits all fall inside 0–1
 * would be read as probabilities 0–1 apart from the sigmoid: every label at 0.5–0.73, near the
 * threshold either way — an inference, not a documented case.)
 */
export function probabilities(raw: unknown): unknown {
  const parsed = labelScores.safeParse(raw);
  if (!parsed.success || parsed.data.every(({ score }) => score >= 0 && score <= 1)) return raw;
  return parsed.data.map(({ label, score }) => ({ label, score: sigmoid(score) }));
}

export const huggingFaceModerate: TaskProvider<string, ModerateResult> = {
  provider: 'huggingface',
  model: HF_MODERATION_MODEL,
  run(call) {
    // TEI ignores `function_to_apply` and softmaxes a classifier's labels unless asked for
    // `raw_scores` (its own switch, a top-level field the Toolkit and serverless ignore): an endpoint
    // gets both, and logits come back through a sigmoid here.
    const endpoint = viaEndpoint(call);
    return mapWithConcurrency(call.items, UPSTREAM_CONCURRENCY, async (text) => {
      // Sigmoid, not softmax: toxic-bert's labels are independent (a text can be obscene AND an insult).
      const parameters = { top_k: CLASSIFIER_TOP_K, function_to_apply: 'sigmoid' as const };
      const scores = await callHuggingFace(
        call,
        (args, options) => textClassification({ ...args, inputs: text, parameters, ...(endpoint ? { raw_scores: true } : {}) } as Parameters<typeof textClassification>[0], options),
        nestClassification,
      );
      return fromToxicityScores(endpoint ? probabilities(scores) : scores);
    });
  },
};

export const localModerate: TaskProvider<string, ModerateResult, LocalReadShare> = {
  provider: 'local',
  model: LOCAL_MODERATION_MODEL,
  async run({ items, options }) {
    // English word lists pass an insult in another language: its confidence is capped (english-only.ts).
    return Promise.all(
      items.map(async (text) => {
        const result = moderateLocally(text, options.local_read_units);
        return { ...result, confidence: capForLanguage(result.confidence ?? 1, await otherLanguageOf(text)) };
      }),
    );
  },
};
