import { estimateTokens } from '../../providers/pricing';
import type { TaskDefinition } from '../types';
import { rerankModels } from './models';
import { huggingFaceRerank, localRerank, workersAiRerank } from './providers';
import type { RerankItem, RerankOptions } from './ranking';
import type { RerankRequest, RerankResult } from './schema';

/**
 * The whole request is one item: a ranking only exists over its documents (and the local BM25
 * weighs terms by how many of the request's documents hold them). `top_k` is an option, so it is
 * part of the cache key. Units: a cross-encoder reads the query once per document.
 */
export const rerankTask: TaskDefinition<RerankRequest, RerankItem, RerankResult[], RerankOptions> = {
  name: 'rerank',
  cacheTtlSeconds: 7 * 24 * 60 * 60,
  items: (input) => [{ query: input.query, documents: input.documents }],
  canonicalItem: (item) => ({ query: item.query.normalize('NFC'), documents: item.documents.map((document) => document.normalize('NFC')) }),
  options: (input) => (input.top_k === undefined ? {} : { top_k: input.top_k }),
  units: (item) => item.documents.reduce((sum, document) => sum + estimateTokens(item.query) + estimateTokens(document), 0),
  providers: [workersAiRerank, huggingFaceRerank, localRerank],
  models: rerankModels,
};
