import { zeroShotClassification } from '@huggingface/inference';
import { z } from 'zod';
import { mapWithConcurrency } from '../../providers/concurrency';
import { callHuggingFace } from '../../providers/huggingface/transport';
import { localEmbedder } from '../../providers/local/semantic';
import { cosineSimilarity } from '../../lib/vectors';
import type { ProviderCall, TaskProvider } from '../../providers/types';
import { malformedUpstreamResponse } from '../../providers/upstream-errors';
import { runWorkersAi } from '../../providers/workers-ai/transport';
import { workersAiPooling } from '../embed/models';
import { capRankedForLanguage, otherLanguageOf } from '../english-only';
import type { ClassifyOptions, ClassifyResult, LabelScore } from './schema';
import { type CorrectnessModel, labelDescription, probabilityTopIsRight, rankLabels, scoresFromSimilarities, scoresWithTop, type SimilarityCalibration } from './scoring';

const UPSTREAM_CONCURRENCY = 4;
/** bge models take at most 100 texts per call (UPSTREAMS.md §1.2). */
const EMBEDDING_BATCH = 100;
const WORKERS_AI_MODEL = '@cf/baai/bge-small-en-v1.5';
const HF_MODEL = 'facebook/bart-large-mnli';
const LOCAL_MODEL = 'minnow/semantic-zero-shot-en';

/**
 * bge v1.5 puts related text/description pairs around 0.65–0.8 and unrelated ones around
 * 0.45–0.6 (its model card's "more reasonable similarity distribution"). Not measured here (no
 * network in development): an assumption, documented as such.
 */
export const BGE_CALIBRATION: SimilarityCalibration = { temperature: 0.025, center: 0.6 };
/**
 * The local word vectors: on eval/tasks/classify.mjs, the right label's cosine has a median of
 * 0.28, a wrong label's 0.11, and the top-two gap a median of 0.11 (measured, see the report).
 */
export const LOCAL_CALIBRATION: SimilarityCalibration = { temperature: 0.1, center: 0.2 };

const embeddingResponse = z.object({ shape: z.array(z.number()), data: z.array(z.array(z.number()).min(1)) });

async function embedWithWorkersAi(call: ProviderCall<string, ClassifyOptions>, texts: string[]): Promise<Float32Array[]> {
  const vectors: Float32Array[] = [];
  for (let start = 0; start < texts.length; start += EMBEDDING_BATCH) {
    const chunk = texts.slice(start, start + EMBEDDING_BATCH);
    // The pooling named (mean for bge v1.5): BGE_CALIBRATION is for Workers AI's default, mean-pooled bge vectors.
    const pooling = workersAiPooling(call.model);
    const parsed = embeddingResponse.safeParse(await runWorkersAi(call, { text: chunk, ...(pooling ? { pooling } : {}) }));
    if (!parsed.success) throw malformedUpstreamResponse('workers-ai', 'expected { shape, data: number[][] }');
    const { data } = parsed.data;
    if (data.length !== chunk.length) throw malformedUpstreamResponse('workers-ai', `${data.length} embeddings for ${chunk.length} texts`);
    if (data.some((row) => row.length !== data[0]!.length)) throw malformedUpstreamResponse('workers-ai', 'embeddings of different sizes');
    vectors.push(...data.map((row) => Float32Array.from(row)));
  }
  return vectors;
}

/** Texts and label descriptions embedded together (one call per 100), then compared. */
export const workersAiClassify: TaskProvider<string, ClassifyResult, ClassifyOptions> = {
  provider: 'workers-ai',
  model: WORKERS_AI_MODEL,
  async run(call) {
    if (call.items.length === 0) return [];
    const { labels, multi_label } = call.options;
    const vectors = await embedWithWorkersAi(call, [...call.items, ...labels.map(labelDescription)]);
    const labelVectors = vectors.slice(call.items.length);
    return call.items.map((_, index) => ({
      labels: scoresFromSimilarities(labels, labelVectors.map((label) => cosineSimilarity(vectors[index]!, label)), BGE_CALIBRATION, multi_label),
    }));
  },
};

const zeroShotScores = z.array(z.object({ label: z.string(), score: z.number().finite() }));

/** An endpoint given one string may still wrap the legacy `{sequence, labels, scores}` in a list. */
const unwrapSingleLegacy = (body: unknown) =>
  Array.isArray(body) && body.length === 1 && typeof body[0] === 'object' && body[0] !== null && 'labels' in body[0] ? body[0] : body;

/** Every candidate label must come back exactly once: minnow promises all of them, scored. */
export function fromZeroShot(labels: string[], raw: unknown): ClassifyResult {
  const parsed = zeroShotScores.safeParse(raw);
  if (!parsed.success) throw malformedUpstreamResponse('huggingface', 'expected [{label, score}] or {labels, scores}');
  const byLabel = new Map(parsed.data.map(({ label, score }) => [label, score]));
  const missing = labels.filter((label) => !byLabel.has(label));
  if (missing.length > 0 || byLabel.size !== labels.length) {
    throw malformedUpstreamResponse('huggingface', `the labels returned do not match the candidates (missing: ${missing.slice(0, 3).join(', ') || 'none'})`);
  }
  return { labels: rankLabels(labels.map((label): LabelScore => ({ label, score: byLabel.get(label)! }))) };
}

/** NLI zero-shot: the model's own probabilities (softmax over labels, or per label with multi_label). */
export const huggingFaceClassify: TaskProvider<string, ClassifyResult, ClassifyOptions> = {
  provider: 'huggingface',
  model: HF_MODEL,
  run(call) {
    const { labels, multi_label } = call.options;
    return mapWithConcurrency(call.items, UPSTREAM_CONCURRENCY, async (text) => {
      const scores = await callHuggingFace(
        call,
        (args, options) => zeroShotClassification({ ...args, inputs: text, parameters: { candidate_labels: labels, multi_label } }, options),
        unwrapSingleLegacy,
      );
      return fromZeroShot(labels, scores);
    });
  },
};

/**
 * Issue 14: the local single-label top score is the probability that the top label is right,
 * from a logistic model fitted on the hard set's dev split (`node eval/calibrate.mjs classify`).
 * Word vectors confuse queues like billing / refund / cancellation, so on such label sets the
 * score stays low and the cascade escalates; on well-separated labels (news topics) it
 * understates confidence — measured in docs/local-tier.md.
 */
export const LOCAL_CORRECTNESS: CorrectnessModel = { intercept: -0.319, margin: 0.754, labelSimilarity: -0.167, topSimilarity: -0.48 };

/**
 * The embedded word vectors, with the same description as Workers AI; single-label scores carry
 * the calibrated top (above), multi_label scores the sigmoid mapping.
 */
export const localClassify: TaskProvider<string, ClassifyResult, ClassifyOptions> = {
  provider: 'local',
  model: LOCAL_MODEL,
  async run({ env, items, options }) {
    if (items.length === 0) return [];
    const embedder = await localEmbedder(env);
    const labelVectors = embedder.embed(options.labels.map(labelDescription));
    const labelCosine = (a: number, b: number) => cosineSimilarity(labelVectors[a]!, labelVectors[b]!);
    const languages = await Promise.all(items.map(otherLanguageOf));
    return embedder.embed(items).map((vector, index) => {
      const similarities = labelVectors.map((label) => cosineSimilarity(vector, label));
      const labels = options.multi_label
        ? scoresFromSimilarities(options.labels, similarities, LOCAL_CALIBRATION, true)
        : scoresWithTop(options.labels, similarities, probabilityTopIsRight(LOCAL_CORRECTNESS, similarities, labelCosine));
      return { labels: capRankedForLanguage(labels, languages[index]) };
    });
  },
};
