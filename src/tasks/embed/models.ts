import type { CatalogModel } from '../../providers/pricing';
import type { ProviderId } from '../../contracts/provider-ids';

export const WORKERS_AI_EMBED_MODEL = '@cf/baai/bge-small-en-v1.5';
export const HF_EMBED_MODEL = 'BAAI/bge-small-en-v1.5';
export const LOCAL_EMBED_MODEL = 'minnow/word-vectors-sif-100d';

const hfEstimate = { unit: 'input_token', usd_per_million: 0.05, source: 'estimate' } as const;

/**
 * Workers AI at Cloudflare's published rates (UPSTREAMS.md §1.2); Hugging Face serverless at an
 * estimate; local free. The Hugging Face ids are the same BAAI weights as on Workers AI, served by
 * their default (feature-extraction) pipeline.
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

/**
 * The vector space a model's embeddings live in. Vectors are comparable only within one space, so
 * embed falls back only between providers running the same weights (bge-small on Workers AI and
 * on Hugging Face). Any model not listed (a tenant's own model or endpoint) is its own space.
 */
const VECTOR_SPACES: Record<string, string> = {
  '@cf/baai/bge-small-en-v1.5': 'bge-small-en-v1.5',
  'BAAI/bge-small-en-v1.5': 'bge-small-en-v1.5',
  '@cf/baai/bge-base-en-v1.5': 'bge-base-en-v1.5',
  'BAAI/bge-base-en-v1.5': 'bge-base-en-v1.5',
  '@cf/baai/bge-m3': 'bge-m3',
  'BAAI/bge-m3': 'bge-m3',
};

export const vectorSpaceOf = (model: string): string => VECTOR_SPACES[model] ?? model;

export const providerOfEmbedModel = (id: string): ProviderId | undefined => embedModel(id)?.provider;
