import { sentenceSimilarity } from '@huggingface/inference';
import { z } from 'zod';
import { mapWithConcurrency } from '../../providers/concurrency';
import { hfBatchLimit, inBatches } from '../../providers/huggingface/batch';
import { callHuggingFace } from '../../providers/huggingface/transport';
import { localEmbedder } from '../../providers/local/semantic';
import type { TaskProvider } from '../../providers/types';
import { malformedUpstreamResponse } from '../../providers/upstream-errors';
import { MAX_MEANING_ITEMS } from '../embed/limits';
import { workersAiVectors } from '../embed/providers';
import { cosineSimilarity, roundScore } from '../../lib/vectors';
import { lowerContrasts } from './contrast';
import { HF_SIMILARITY_MODEL, LOCAL_SIMILARITY_MODEL, WORKERS_AI_SIMILARITY_MODEL } from './models';

/** The pipeline's item: one whole request (see task.ts for why). */
export interface SimilarityItem {
  source: string;
  targets: string[];
}

/** Per item: one score per target, in order. */
export type SimilarityScores = number[];

const UPSTREAM_CONCURRENCY = 4;

const clampScore = (value: number) => roundScore(Math.min(1, Math.max(-1, value)));

/** Cosine of the first vector (the source) with each of the others (the targets). */
function scoresAgainstFirst(vectors: ArrayLike<number>[]): SimilarityScores {
  const [source, ...targets] = vectors;
  return targets.map((target) => clampScore(cosineSimilarity(source!, target)));
}

const chunks = <T>(list: T[], size: number): T[][] => Array.from({ length: Math.ceil(list.length / size) }, (_, index) => list.slice(index * size, (index + 1) * size));

/**
 * Workers AI has no similarity model: embed the source and the targets (source once; 100 texts
 * per call, so 100 targets take two calls) and take cosines.
 */
export const workersAiSimilarity: TaskProvider<SimilarityItem, SimilarityScores> = {
  provider: 'workers-ai',
  model: WORKERS_AI_SIMILARITY_MODEL,
  run(call) {
    return mapWithConcurrency(call.items, UPSTREAM_CONCURRENCY, async ({ source, targets }) => {
      const texts = [source, ...targets];
      const rows = (await Promise.all(chunks(texts, MAX_MEANING_ITEMS).map((chunk) => workersAiVectors(call, chunk)))).flat();
      const dims = rows[0]?.length ?? 0;
      if (rows.length !== texts.length || dims === 0 || rows.some((row) => row.length !== dims)) {
        throw malformedUpstreamResponse('workers-ai', `expected ${texts.length} vectors of one length`);
      }
      return scoresAgainstFirst(rows);
    });
  },
};

const hfScores = z.array(z.number().finite());

/** sentence-similarity: `{inputs: {source_sentence, sentences}}` → `number[]`, one score per sentence. */
export const huggingFaceSimilarity: TaskProvider<SimilarityItem, SimilarityScores> = {
  provider: 'huggingface',
  model: HF_SIMILARITY_MODEL,
  run(call) {
    return mapWithConcurrency(call.items, UPSTREAM_CONCURRENCY, async ({ source, targets }) => {
      // A TEI endpoint embeds the source with the sentences: one fewer sentence than its cap (31 of 32).
      const scores = await inBatches(
        targets,
        async (sentences) => {
          const raw = await callHuggingFace(call, (args, options) => sentenceSimilarity({ ...args, inputs: { source_sentence: source, sentences } }, options), undefined, 'sentence-similarity');
          const parsed = hfScores.safeParse(raw);
          if (!parsed.success) throw malformedUpstreamResponse('huggingface', 'expected number[] (one score per sentence)');
          if (parsed.data.length !== sentences.length) throw malformedUpstreamResponse('huggingface', `${parsed.data.length} scores for ${sentences.length} sentences`);
          return parsed.data;
        },
        Math.max(1, hfBatchLimit(call) - 1),
      );
      return scores.map(clampScore);
    });
  },
};

/**
 * Cosine of the local word-vector embeddings: topical closeness, blind to order and negation — except
 * that a target with the source's words and the meaning turned (contrast.ts) is scored lower.
 */
export const localSimilarity: TaskProvider<SimilarityItem, SimilarityScores> = {
  provider: 'local',
  model: LOCAL_SIMILARITY_MODEL,
  async run({ env, items }) {
    const embedder = await localEmbedder(env);
    return items.map(({ source, targets }) => lowerContrasts(source, targets, scoresAgainstFirst(embedder.embed([source, ...targets])), embedder));
  },
};
