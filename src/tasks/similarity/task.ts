import { estimateTokens } from '../../providers/pricing';
import type { PublicTaskDefinition, TaskWarning } from '../types';
import { similarityModels } from './models';
import { huggingFaceSimilarity, localSimilarity, workersAiSimilarity, type SimilarityItem, type SimilarityScores } from './providers';
import { MAX_MEANING_ITEMS, MAX_MEANING_TEXT_CHARS } from '../embed/limits';
import { fieldsWithoutKnownWords, noKnownWordsWarning } from '../known-words';
import { similarityRequestSchema, similarityResponseSchema, type SimilarityRequest } from './schema';

/**
 * The whole request is one item, cached as a whole. Why not one item per target (source in the
 * options)? Scores are only comparable within one model: a partial hit answered by a fallback
 * would mix the cached model's cosines with another model's, and rank targets wrongly. As one
 * item, every answer comes from one model, and the billed units are exact (the source is
 * embedded once, not once per target).
 */
/**
 * Issue 14, measured on eval/tasks-hard/similarity.mjs (test split, 2026-12-03): with the contrast
 * detector (contrast.ts) the paraphrase outscores the same-words contrast in 53 of 76 pairs (1 before);
 * duplicate questions among same-topic targets (eval/tasks/similarity.mjs) are still found 1 time in 3.
 */
export const LOCAL_SIMILARITY_WARNING: TaskWarning = {
  code: 'local_similarity_is_lexical',
  message:
    'Local similarity compares the words two texts share, not what they mean. A target with the same words and the meaning turned ' +
    '(an antonym, a negation, a sentiment word or a number swapped: "my card was accepted" vs "my card was declined") is scored lower, ' +
    'but that catches about 7 contrasts in 10, and a paraphrase in other words still scores low. Use Workers AI or Hugging Face where meaning matters.',
};

export const similarityTask: PublicTaskDefinition<SimilarityRequest, SimilarityItem, SimilarityScores> = {
  name: 'similarity',
  cacheTtlSeconds: 7 * 24 * 60 * 60,
  items: (input) => [{ source: input.source, targets: input.targets }],
  canonicalItem: (item) => ({ source: item.source.normalize('NFC'), targets: item.targets.map((target) => target.normalize('NFC')) }),
  options: () => ({}),
  units: (item) => item.targets.reduce((sum, target) => sum + estimateTokens(target), estimateTokens(item.source)),
  providers: [workersAiSimilarity, huggingFaceSimilarity, localSimilarity],
  models: similarityModels,
  warnings: async (_options, provider, _results, [item], env) =>
    provider === 'local' && item
      ? [
          LOCAL_SIMILARITY_WARNING,
          ...noKnownWordsWarning(
            await fieldsWithoutKnownWords(env, [{ field: 'source', text: item.source }, ...item.targets.map((text, index) => ({ field: `targets[${index}]`, text }))]),
            'Its similarity to any text, itself included, is 0: nothing was compared, it is not a measured "unrelated".',
          ),
        ]
      : [],
  api: {
    summary: 'How close in meaning a text is to each of up to 100 others',
    description:
      `One score per target, in order: the cosine similarity (−1…1) of sentence embeddings — bge-small-en-v1.5 on Workers AI, ` +
      `all-MiniLM-L6-v2 on Hugging Face, averaged word vectors locally (lexical: topic overlap, not word order; a target that repeats the source's words with an antonym, a negation, a sentiment word or a number swapped scores at most 0). ` +
      `Compare scores within one answer; their scale differs between models. Up to ${MAX_MEANING_ITEMS} targets, each text ` +
      `at most ${MAX_MEANING_TEXT_CHARS} characters. The whole request is cached as one entry; usage.items is 1.`,
    request: similarityRequestSchema,
    response: similarityResponseSchema,
    presentResults: (results) => (results as SimilarityScores[])[0]!.map((score) => ({ score })),
    primaryField: 'source',
    sample: { source: 'sample', targets: ['sample'] },
  },
};