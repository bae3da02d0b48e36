import type { CatalogModel } from '../../providers/pricing';
import { embedModels, LOCAL_EMBED_MODEL } from '../embed/models';

export const WORKERS_AI_SIMILARITY_MODEL = '@cf/baai/bge-small-en-v1.5';
/**
 * A model whose hub task is sentence-similarity. Serverless calls go to `…/pipeline/sentence-similarity`
 * all the same (providers.ts), so a tenant's model whose default pipeline is another (BAAI/bge-m3 is
 * sentence-similarity, bge-small feature-extraction) is still asked for similarity.
 */
export const HF_SIMILARITY_MODEL = 'sentence-transformers/all-MiniLM-L6-v2';
export const LOCAL_SIMILARITY_MODEL = LOCAL_EMBED_MODEL;

/** Similarity on Workers AI and locally is the cosine of embed's models, at embed's prices. */
const fromEmbed = embedModels
  .filter((model) => model.provider !== 'huggingface')
  .map((model) => ({ ...model, task: 'similarity', description: `Cosine similarity of ${model.description}` }));

export const similarityModels: CatalogModel[] = [
  ...fromEmbed,
  {
    id: HF_SIMILARITY_MODEL,
    task: 'similarity',
    provider: 'huggingface',
    description: 'all-MiniLM-L6-v2 sentence similarity on Hugging Face Inference (cosine of 384-d sentence embeddings)',
    max_input_tokens: 256,
    max_items: 100,
    price: { unit: 'input_token', usd_per_million: 0.05, source: 'estimate' },
  },
];
