import { estimateTokens } from '../../providers/pricing';
import { localWindowWarnings, shareWindowBudget } from '../local-window';
import type { PublicTaskDefinition } from '../types';
import { LOCAL_RERANK_REQUEST_UNITS, LOCAL_RERANK_UNITS } from './local-rerank';
import { rerankModels } from './models';
import { huggingFaceRerank, localRerank, workersAiRerank } from './providers';
import type { RerankItem, RerankOptions } from './ranking';
import { MAX_MEANING_ITEMS, MAX_MEANING_TEXT_CHARS } from '../embed/limits';
import { fieldsWithoutKnownWords, noKnownWordsWarning } from '../known-words';
import { rerankRequestSchema, rerankResponseSchema, type RerankRequest, type RerankResult } from './schema';

/**
 * The whole request is one item: a ranking only exists over its documents (and the local BM25
 * weighs terms by how many of the request's documents hold them). `top_k` is an option, so it is
 * part of the cache key. Units: a cross-encoder reads the query once per document.
 */
export const rerankTask: PublicTaskDefinition<RerankRequest, RerankItem, RerankResult[], RerankOptions> = {
  name: 'rerank',
  cacheTtlSeconds: 7 * 24 * 60 * 60,
  items: (input) => [{ query: input.query, documents: input.documents }],
  canonicalItem: (item) => ({ query: item.query.normalize('NFC'), documents: item.documents.map((document) => document.normalize('NFC')) }),
  // And the local tier's share of its request budget, when the texts exceed it (tasks/local-window.ts).
  options: (input) => ({
    ...(input.top_k === undefined ? {} : { top_k: input.top_k }),
    ...shareWindowBudget([input.query, ...input.documents], LOCAL_RERANK_UNITS, LOCAL_RERANK_REQUEST_UNITS),
  }),
  units: (item) => item.documents.reduce((sum, document) => sum + estimateTokens(item.query) + estimateTokens(document), 0),
  providers: [workersAiRerank, huggingFaceRerank, localRerank],
  models: rerankModels,
  warnings: async (options, provider, _results, [item], env) =>
    provider === 'local' && item
      ? [
          ...noKnownWordsWarning(
            await fieldsWithoutKnownWords(env, [{ field: 'query', text: item.query }, ...item.documents.map((text, index) => ({ field: `documents[${index}]`, text }))]),
            'Only exact word matching (BM25) scores them; the word-vector half of the score is 0.',
          ),
          ...localWindowWarnings(
          [
            { field: 'query', text: item.query, units: LOCAL_RERANK_UNITS },
            ...item.documents.map((text, index) => ({ field: `documents[${index}]`, text, units: LOCAL_RERANK_UNITS })),
          ],
          'Its word matching scores each on the part read, as a 512-token reranker reads the start of a long passage.',
          options,
          ),
        ]
      : [],
  api: {
    summary: 'Rank up to 100 documents by relevance to a query',
    description:
      `\`results\` is the ranking, best first: \`{index, score}\` per document (\`top_k\` keeps the best k). Scores are 0–1: ` +
      `bge-reranker-base's logits through a sigmoid on Workers AI, the cross-encoder's sigmoid scores on Hugging Face, and locally a blend of ` +
      `BM25 word matching and word-vector similarity (lexical; compare its scores only within one answer). Up to ${MAX_MEANING_ITEMS} ` +
      `documents, each text at most ${MAX_MEANING_TEXT_CHARS} characters. The whole request is cached as one entry; usage.items is 1.`,
    request: rerankRequestSchema,
    response: rerankResponseSchema,
    presentResults: (results) => (results as RerankResult[][])[0]!,
    primaryField: 'query',
    sample: { query: 'sample', documents: ['sample'] },
  },
};