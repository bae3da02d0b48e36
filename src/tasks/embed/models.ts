import type { CatalogModel } from '../../providers/pricing';
import type { ProviderId } from '../../contracts/provider-ids';

export const WORKERS_AI_EMBED_MODEL = '@cf/baai/bge-small-en-v1.5';
export const HF_EMBED_MODEL = 'BAAI/bge-small-en-v1.5';
export const LOCAL_EMBED_MODEL = 'minnow/word-vectors-sif-100d';

const hfEstimate = { unit: 'input_token', usd_per_million: 0.05, source: 'estimate' } as const;

/**
 * Workers AI at Cloudflare's published rates (UPSTREAMS.md §1.2); Hugging Face serverless at an
 * estimate; local free. The Hugging Face ids are the same BAAI weights as on Workers AI, served by
 * their default (feature-extraction) pipeline — with CLS pooling, so not the same vectors (below).
 */
export const embedModels: CatalogModel[] = [
  {
    id: WORKERS_AI_EMBED_MODEL, task: 'embed', provider: 'workers-ai', dimensions: 384, max_input_tokens: 512, max_items: 100,
    description: 'BAAI bge-small-en-v1.5: English sentence embeddings, 384 dimensions',
    price: { unit: 'input_token', usd_per_million: 0.02, neurons_per_million: 1841, source: 'published' },
  },
  {
    id: '@cf/baai/bge-base-en-v1.5', task: 'embed', provider: 'workers-ai', dimensions: 768, max_input_tokens: 512, max_items: 100,
    description: 'BAAI bge-base-en-v1.5: English sentence embeddings, 768 dimensions',
    price: { unit: 'input_token', usd_per_million: 0.067, neurons_per_million: 6058, source: 'published' },
  },
  {
    id: '@cf/baai/bge-m3', task: 'embed', provider: 'workers-ai', dimensions: 1024, max_input_tokens: 512, max_items: 100,
    description: 'BAAI bge-m3: multilingual sentence embeddings, 1024 dimensions',
    price: { unit: 'input_token', usd_per_million: 0.012, neurons_per_million: 1075, source: 'published' },
  },
  {
    id: HF_EMBED_MODEL, task: 'embed', provider: 'huggingface', dimensions: 384, max_input_tokens: 512, max_items: 100,
    description: 'BAAI bge-small-en-v1.5 on Hugging Face Inference (same weights as the Workers AI model)',
    price: hfEstimate,
  },
  {
    id: 'BAAI/bge-base-en-v1.5', task: 'embed', provider: 'huggingface', dimensions: 768, max_input_tokens: 512, max_items: 100,
    description: 'BAAI bge-base-en-v1.5 on Hugging Face Inference',
    price: hfEstimate,
  },
  {
    id: 'BAAI/bge-m3', task: 'embed', provider: 'huggingface', dimensions: 1024, max_input_tokens: 8192, max_items: 100,
    description: 'BAAI bge-m3 on Hugging Face Inference, multilingual',
    price: hfEstimate,
  },
  {
    id: LOCAL_EMBED_MODEL, task: 'embed', provider: 'local', dimensions: 100, max_items: 100,
    description:
      'Lexical word-vector embeddings inside the Worker (GloVe 100-d word vectors averaged with SIF weights): ' +
      'captures topic and word meaning, not word order or negation; not comparable with neural embeddings',
    price: { unit: 'input_token', usd_per_million: 0, source: 'free' },
  },
];

export const EMBED_MODEL_IDS = embedModels.map((model) => model.id) as [string, ...string[]];

export const embedModel = (id: string): CatalogModel | undefined => embedModels.find((model) => model.id === id);

export type Pooling = 'mean' | 'cls';

/**
 * What a model's sentence vector is: its weights and how token vectors are pooled into one.
 * Vectors are comparable only when both match — Cloudflare documents bge's mean- and CLS-pooled
 * vectors as incompatible (workers-ai-models/bge-*.json, `pooling`).
 *
 * - Workers AI bge v1.5 pools with `mean` unless told otherwise; minnow sends `pooling: "mean"`
 *   explicitly (`workersAiPooling`), so vectors already stored (knowledge bases, the cache) stay
 *   in the space they were made in.
 * - Hugging Face serves BAAI/bge-* with the model's sentence-transformers config (TEI reads
 *   `1_Pooling/config.json`): CLS. So `@cf/baai/bge-small-en-v1.5` and `BAAI/bge-small-en-v1.5`
 *   are the same weights in two spaces, and embed does not fall back from one to the other.
 * - Workers AI bge-m3 takes no `pooling` input and does not document which it uses: a space of its own.
 *
 * Any model not listed (a tenant's own model or endpoint) is its own space.
 */
const EMBEDDING_SPACES: Record<string, { weights: string; pooling: Pooling | 'unstated' }> = {
  '@cf/baai/bge-small-en-v1.5': { weights: 'bge-small-en-v1.5', pooling: 'mean' },
  '@cf/baai/bge-base-en-v1.5': { weights: 'bge-base-en-v1.5', pooling: 'mean' },
  '@cf/baai/bge-large-en-v1.5': { weights: 'bge-large-en-v1.5', pooling: 'mean' },
  '@cf/baai/bge-m3': { weights: 'bge-m3@workers-ai', pooling: 'unstated' },
  'BAAI/bge-small-en-v1.5': { weights: 'bge-small-en-v1.5', pooling: 'cls' },
  'BAAI/bge-base-en-v1.5': { weights: 'bge-base-en-v1.5', pooling: 'cls' },
  'BAAI/bge-large-en-v1.5': { weights: 'bge-large-en-v1.5', pooling: 'cls' },
  'BAAI/bge-m3': { weights: 'bge-m3', pooling: 'cls' },
};

/** The vector space a model's embeddings live in: weights and pooling. */
export const vectorSpaceOf = (model: string): string => {
  const space = EMBEDDING_SPACES[model];
  return space ? `${space.weights}/${space.pooling}` : model;
};

/**
 * The `pooling` to send a Workers AI embedding model, for the models whose input takes one (bge
 * v1.5: `pooling?: "mean" | "cls"`, UPSTREAMS.md §1.2); undefined for the others (bge-m3,
 * embeddinggemma), whose schema has no such field.
 */
export const workersAiPooling = (model: string): Pooling | undefined => {
  const pooling = EMBEDDING_SPACES[model]?.pooling;
  return model.startsWith('@cf/') && (pooling === 'mean' || pooling === 'cls') ? pooling : undefined;
};

/**
 * Part of every embed cache key: the pooling rule above. Keys made before pooling was explicit
 * (when a bge-small key could hold a Hugging Face CLS vector written by a fallback) are not read.
 */
export const EMBED_POOLING_RULE = 'explicit-per-model';

export const providerOfEmbedModel = (id: string): ProviderId | undefined => embedModel(id)?.provider;
