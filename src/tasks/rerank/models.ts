import type { CatalogModel } from '../../providers/pricing';

export const WORKERS_AI_RERANK_MODEL = '@cf/baai/bge-reranker-base';
export const HF_RERANK_MODEL = 'BAAI/bge-reranker-v2-m3';
export const LOCAL_RERANK_MODEL = 'minnow/bm25-word-vectors';

export const rerankModels: CatalogModel[] = [
  {
    id: WORKERS_AI_RERANK_MODEL,
    task: 'rerank',
    provider: 'workers-ai',
    description: 'BAAI bge-reranker-base cross-encoder; its logits are mapped to 0–1 with a sigmoid',
    max_input_tokens: 512,
    max_items: 100,
    price: { unit: 'input_token', usd_per_million: 0.003, neurons_per_million: 283, source: 'published' },
  },
  {
    id: HF_RERANK_MODEL,
    task: 'rerank',
    provider: 'huggingface',
    description:
      'BAAI bge-reranker-v2-m3 cross-encoder (multilingual): text-classification over (query, document) pairs on serverless ' +
      'Hugging Face (sigmoid scores), TEI rerank on an endpoint',
    max_input_tokens: 8192,
    max_items: 100,
    price: { unit: 'input_token', usd_per_million: 0.05, source: 'estimate' },
  },
  {
    id: LOCAL_RERANK_MODEL,
    task: 'rerank',
    provider: 'local',
    description:
      'Inside the Worker: BM25 word matching (wink-nlp stems) blended with word-vector similarity for documents that share ' +
      'no word with the query; lexical, not a neural cross-encoder',
    max_items: 100,
    price: { unit: 'input_token', usd_per_million: 0, source: 'free' },
  },
];
