import { estimateTokens } from '../../providers/pricing';
import type { TaskDefinition } from '../types';
import { similarityModels } from './models';
import { huggingFaceSimilarity, localSimilarity, workersAiSimilarity, type SimilarityItem, type SimilarityScores } from './providers';
import type { SimilarityRequest } from './schema';

/**
 * The whole request is one item, cached as a whole. Why not one item per target (source in the
 * options)? Scores are only comparable within one model: a partial hit answered by a fallback
 * would mix the cached model's cosines with another model's, and rank targets wrongly. As one
 * item, every answer comes from one model, and the billed units are exact (the source is
 * embedded once, not once per target).
 */
export const similarityTask: TaskDefinition<SimilarityRequest, SimilarityItem, SimilarityScores> = {
  name: 'similarity',
  cacheTtlSeconds: 7 * 24 * 60 * 60,
  items: (input) => [{ source: input.source, targets: input.targets }],
  canonicalItem: (item) => ({ source: item.source.normalize('NFC'), targets: item.targets.map((target) => target.normalize('NFC')) }),
  options: () => ({}),
  units: (item) => item.targets.reduce((sum, target) => sum + estimateTokens(target), estimateTokens(item.source)),
  providers: [workersAiSimilarity, huggingFaceSimilarity, localSimilarity],
  models: similarityModels,
};
