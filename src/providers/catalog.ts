import type { ProviderId } from './types';

export interface ModelPrice {
  /** What is counted: input tokens, estimated as UTF-8 bytes / 4 plus 2 special tokens per item. */
  unit: 'input_token';
  usd_per_million: number;
  /** Workers AI bills in neurons ($0.011 per 1,000). */
  neurons_per_million?: number;
  /** `published`: the vendor's price list; `estimate`: compute-time based, see README. */
  source: 'published' | 'estimate' | 'free';
}

export interface CatalogModel {
  id: string;
  task: string;
  provider: ProviderId;
  description: string;
  labels?: string[];
  max_input_tokens?: number;
  price: ModelPrice;
}

/**
 * Every model minnow can call, with its price. Workers AI prices are Cloudflare's published
 * rates (UPSTREAMS.md §1.2, Aug 2026); Hugging Face serverless bills compute time, so its rate
 * here is an estimate per token for a small CPU model.
 */
export const CATALOG: Record<string, CatalogModel> = {
  '@cf/huggingface/distilbert-sst-2-int8': {
    id: '@cf/huggingface/distilbert-sst-2-int8',
    task: 'sentiment',
    provider: 'workers-ai',
    description: 'DistilBERT fine-tuned on SST-2 (int8), binary sentiment',
    labels: ['POSITIVE', 'NEGATIVE'],
    max_input_tokens: 512,
    price: { unit: 'input_token', usd_per_million: 0.026, neurons_per_million: 2394, source: 'published' },
  },
  'distilbert/distilbert-base-uncased-finetuned-sst-2-english': {
    id: 'distilbert/distilbert-base-uncased-finetuned-sst-2-english',
    task: 'sentiment',
    provider: 'huggingface',
    description: 'DistilBERT SST-2 on Hugging Face Inference (serverless or a dedicated endpoint)',
    labels: ['POSITIVE', 'NEGATIVE'],
    max_input_tokens: 512,
    price: { unit: 'input_token', usd_per_million: 0.05, source: 'estimate' },
  },
  'minnow/wink-sentiment-en': {
    id: 'minnow/wink-sentiment-en',
    task: 'sentiment',
    provider: 'local',
    description: 'Embedded lexicon sentiment (wink-nlp English lite model), runs inside the Worker',
    labels: ['positive', 'negative', 'neutral'],
    price: { unit: 'input_token', usd_per_million: 0, source: 'free' },
  },
};

/** Estimated input tokens for a text: BPE/WordPiece average ~4 bytes of English per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(new TextEncoder().encode(text).length / 4) + 2;
}

export function costOf(modelId: string, units: number): { cost_usd: number; neurons: number } {
  const price = CATALOG[modelId]?.price;
  if (!price) return { cost_usd: 0, neurons: 0 };
  return {
    cost_usd: (units * price.usd_per_million) / 1_000_000,
    neurons: ((price.neurons_per_million ?? 0) * units) / 1_000_000,
  };
}
