import { featureExtraction } from '@huggingface/inference';
import { z } from 'zod';
import { hfBatchLimit, inBatches } from '../../providers/huggingface/batch';
import { callHuggingFace } from '../../providers/huggingface/transport';
import { localEmbedder } from '../../providers/local/semantic';
import type { TaskProvider } from '../../providers/types';
import type { ProviderId } from '../../contracts/provider-ids';
import { malformedUpstreamResponse } from '../../providers/upstream-errors';
import { runWorkersAi } from '../../providers/workers-ai/transport';
import { HF_EMBED_MODEL, LOCAL_EMBED_MODEL, WORKERS_AI_EMBED_MODEL, workersAiPooling } from './models';
import type { EmbedResult } from './schema';

const vector = z.array(z.number().finite()).min(1);
const workersAiEmbeddings = z.object({ shape: z.array(z.number().int()), data: z.array(vector) });

/** One vector per text, all of one length, or the upstream broke its contract. */
export function toEmbedResults(provider: ProviderId, rows: number[][], expected: number): EmbedResult[] {
  if (rows.length !== expected) throw malformedUpstreamResponse(provider, `${rows.length} vectors for ${expected} texts`);
  const dims = rows[0]?.length ?? 0;
  if (rows.some((row) => row.length !== dims)) throw malformedUpstreamResponse(provider, 'vectors of different lengths in one answer');
  return rows.map((embedding) => ({ embedding, dims }));
}

/**
 * Workers AI embedding models (bge-small/base/m3): all the texts in one call, `{text: [...],
 * pooling?}` → `{shape, data}`; the pooling named explicitly for the models that take one (models.ts).
 */
export async function workersAiVectors(call: Parameters<typeof runWorkersAi>[0], texts: string[]): Promise<number[][]> {
  const pooling = workersAiPooling(call.model);
  const parsed = workersAiEmbeddings.safeParse(await runWorkersAi(call, { text: texts, ...(pooling ? { pooling } : {}) }));
  if (!parsed.success) throw malformedUpstreamResponse('workers-ai', 'expected {shape, data: number[][]}');
  return parsed.data.data;
}

export const workersAiEmbed: TaskProvider<string, EmbedResult> = {
  provider: 'workers-ai',
  model: WORKERS_AI_EMBED_MODEL,
  async run(call) {
    if (call.items.length === 0) return [];
    return toEmbedResults('workers-ai', await workersAiVectors(call, call.items), call.items.length);
  },
};

const hfRows = z.union([z.array(vector), vector]);

/**
 * Feature extraction answers `number[][]` (one row per text); serverless may answer a bare
 * `number[]` for a single text. Token-level output (`number[][][]`, a model without pooling)
 * is not a sentence embedding and is refused as a bad response.
 */
export function hfEmbeddingRows(raw: unknown, texts: number): number[][] {
  const parsed = hfRows.safeParse(raw);
  if (!parsed.success) throw malformedUpstreamResponse('huggingface', 'expected number[][] (one sentence vector per text)');
  const rows = parsed.data;
  const flat = rows.length > 0 && typeof rows[0] === 'number';
  if (flat) {
    if (texts !== 1) throw malformedUpstreamResponse('huggingface', `one vector for ${texts} texts`);
    return [rows as number[]];
  }
  return rows as number[][];
}

export const huggingFaceEmbed: TaskProvider<string, EmbedResult> = {
  provider: 'huggingface',
  model: HF_EMBED_MODEL,
  async run(call) {
    if (call.items.length === 0) return [];
    // TEI takes at most 32 texts per request by default: 100 texts are four calls, in parallel.
    const rows = await inBatches(call.items, async (chunk) => {
      const raw = await callHuggingFace(call, (args, options) => featureExtraction({ ...args, inputs: chunk, normalize: true, truncate: true }, options), undefined, 'feature-extraction');
      const chunkRows = hfEmbeddingRows(raw, chunk.length);
      if (chunkRows.length !== chunk.length) throw malformedUpstreamResponse('huggingface', `${chunkRows.length} vectors for ${chunk.length} texts`);
      return chunkRows;
    }, hfBatchLimit(call));
    return toEmbedResults('huggingface', rows, call.items.length);
  },
};

/** 6 decimals: float32 carries ~7 significant digits, the rest is JSON noise. */
const compact = (vector: Float32Array) => Array.from(vector, (value) => Math.round(value * 1e6) / 1e6);

export const localEmbed: TaskProvider<string, EmbedResult> = {
  provider: 'local',
  model: LOCAL_EMBED_MODEL,
  async run({ env, items }) {
    const embedder = await localEmbedder(env);
    return embedder.embed(items).map((vector) => ({ embedding: compact(vector), dims: embedder.dims }));
  },
};
