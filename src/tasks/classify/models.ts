import type { CatalogModel } from '../../providers/pricing';

/**
 * Units: estimated input tokens of the text plus its candidate labels (each item is sent with them).
 * Workers AI: Cloudflare's published embedding rates (UPSTREAMS.md §1.2); HF serverless: an estimate.
 */
export const classifyModels: CatalogModel[] = [
  {
    id: '@cf/baai/bge-small-en-v1.5',
    task: 'classify',
    provider: 'workers-ai',
    description: 'BGE small (384 dims): cosine between the text and "This text is about <label>.", mapped to scores (English)',
    max_input_tokens: 512,
    price: { unit: 'input_token', usd_per_million: 0.02, neurons_per_million: 1841, source: 'published' },
  },
  {
    id: '@cf/baai/bge-base-en-v1.5',
    task: 'classify',
    provider: 'workers-ai',
    description: 'BGE base (768 dims), same method as bge-small, larger and slower (English)',
    max_input_tokens: 512,
    price: { unit: 'input_token', usd_per_million: 0.067, neurons_per_million: 6058, source: 'published' },
  },
  {
    id: 'facebook/bart-large-mnli',
    task: 'classify',
    provider: 'huggingface',
    description: 'BART large MNLI zero-shot classification on Hugging Face Inference (serverless or a dedicated endpoint)',
    max_input_tokens: 1024,
    price: { unit: 'input_token', usd_per_million: 0.05, source: 'estimate' },
  },
  {
    id: 'minnow/semantic-zero-shot-en',
    task: 'classify',
    provider: 'local',
    description: 'Embedded word vectors (GloVe, SIF sentences) inside the Worker: cosine between the text and each label description. English, topic-level only; weaker than the neural models',
    price: { unit: 'input_token', usd_per_million: 0, source: 'free' },
  },
];
