// The two wire forms of a Hugging Face cross-encoder (docs/upstreams.md, "Rerank"): TEI's rerank
// route on an endpoint, text-classification over text pairs on the serverless hf-inference route.
import { z } from 'zod';
import { postJson } from '../../providers/huggingface/post-json';
import { viaEndpoint } from '../../providers/huggingface/transport';
import type { ProviderCall } from '../../providers/types';
import { malformedUpstreamResponse } from '../../providers/upstream-errors';
import { scoresByDocument } from './ranking';

type RerankCall = Pick<ProviderCall<unknown, unknown>, 'env' | 'task' | 'model' | 'endpoint' | 'signal'>;

const teiRanking = z.array(z.object({ index: z.number().int(), score: z.number().min(0).max(1) }));

/**
 * text-embeddings-inference serving a reranker (a tenant's or a deployment's endpoint; TEI answers
 * rerank at `/` for a reranker model, router/src/http/server.rs): `{query, texts, raw_scores:
 * false, truncate: true}` → `[{index, score}]` in any order, scores already 0–1 (TEI applies the
 * sigmoid). One score per text, in the texts' order.
 */
async function teiRerankScores(call: RerankCall, query: string, texts: string[]): Promise<number[]> {
  const parsed = teiRanking.safeParse(await postJson(call, { query, texts, raw_scores: false, truncate: true }));
  if (!parsed.success) throw malformedUpstreamResponse('huggingface', 'expected [{index, score}] with scores in 0–1');
  return scoresByDocument('huggingface', parsed.data, texts.length);
}

const classification = z.object({ label: z.string(), score: z.number().min(0).max(1) });
/** Per pair: the pipeline's `{label, score}`, or the same wrapped in a one-entry list (`top_k`, legacy serverless). */
const pairAnswer = z.union([classification, z.array(classification).length(1).transform((entries) => entries[0]!)]);
const pairAnswers = z.union([z.array(pairAnswer), classification.transform((entry) => [entry])]);

/**
 * hf-inference serves a cross-encoder (BAAI/bge-reranker-v2-m3, hub task text-classification) with
 * transformers' text-classification pipeline behind the Inference Toolkit, which reads only
 * `inputs` and `parameters` (it answers 400 "Body needs to provide a inputs key" to TEI's body).
 * A list of `{text, text_pair}` is one pair each (the pipeline's documented pair form; a list of
 * lists is refused); with one logit (num_labels 1) each pair answers `{label: "LABEL_0", score}`,
 * in the inputs' order. `function_to_apply: "sigmoid"` is the pipeline's default for one logit,
 * sent so the score is the probability of relevance whatever the model's config says (a softmax
 * over one label would be 1 for every pair).
 */
async function crossEncoderScores(call: RerankCall, query: string, texts: string[]): Promise<number[]> {
  const raw = await postJson(call, { inputs: texts.map((text) => ({ text: query, text_pair: text })), parameters: { function_to_apply: 'sigmoid' } });
  const parsed = pairAnswers.safeParse(raw);
  if (!parsed.success) throw malformedUpstreamResponse('huggingface', 'expected [{label, score}] (one 0–1 score per text pair)');
  if (parsed.data.length !== texts.length) throw malformedUpstreamResponse('huggingface', `${parsed.data.length} scores for ${texts.length} text pairs`);
  return parsed.data.map((entry) => entry.score);
}

/**
 * The cross-encoder's 0–1 relevance of each text to the query, in the texts' order: TEI's rerank
 * on an endpoint (the tenant's, or HF_ENDPOINTS'), text-classification pairs on serverless.
 */
export function huggingFaceRelevance(call: RerankCall, query: string, texts: string[]): Promise<number[]> {
  return viaEndpoint(call) ? teiRerankScores(call, query, texts) : crossEncoderScores(call, query, texts);
}
