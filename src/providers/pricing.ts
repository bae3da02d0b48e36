import type { ProviderId } from '../contracts/provider-ids';

export interface ModelPrice {
  /** What is counted, e.g. input tokens (estimated as UTF-8 bytes / 4 + 2 per item). */
  unit: 'input_token' | 'output_token' | 'item';
  usd_per_million: number;
  /** Workers AI bills in neurons ($0.011 per 1,000). */
  neurons_per_million?: number;
  /** `published`: the vendor's price list; `estimate`: compute-time based, see docs/api.md; `free`: local. */
  source: 'published' | 'estimate' | 'free';
}

/** One model minnow can call, as `GET /v1/models` lists it. */
export interface CatalogModel {
  id: string;
  task: string;
  provider: ProviderId;
  description: string;
  labels?: string[];
  dimensions?: number;
  max_input_tokens?: number;
  max_items?: number;
  price: ModelPrice;
}

/** Price of a model no catalog lists (a tenant's own HF model on serverless inference). */
const FALLBACK_PRICE: Record<ProviderId, ModelPrice> = {
  'workers-ai': { unit: 'input_token', usd_per_million: 0.1, source: 'estimate' },
  huggingface: { unit: 'input_token', usd_per_million: 0.05, source: 'estimate' },
  local: { unit: 'input_token', usd_per_million: 0, source: 'free' },
};

const encoder = new TextEncoder();

/** Estimated input tokens for a text: BPE/WordPiece average ~4 bytes of English per token. */
export function estimateTokens(text: string): number {
  return Math.ceil(encoder.encode(text).length / 4) + 2;
}

/** What `units` cost on a model, given the task's catalog entries. */
export function costOf(models: CatalogModel[], provider: ProviderId, modelId: string, units: number): { cost_usd: number; neurons: number } {
  const price = models.find((model) => model.id === modelId)?.price ?? FALLBACK_PRICE[provider];
  return {
    cost_usd: (units * price.usd_per_million) / 1_000_000,
    neurons: ((price.neurons_per_million ?? 0) * units) / 1_000_000,
  };
}

/**
 * An upper bound on what `units` can cost on any model of a task — including a tenant's own
 * uncatalogued model on a provider — so a reservation of it can never be exceeded.
 */
export function maxCostOf(models: CatalogModel[], providers: ProviderId[], units: number): { cost_usd: number; neurons: number } {
  const prices = [...models.map((model) => model.price), ...providers.map((provider) => FALLBACK_PRICE[provider])];
  const usd = Math.max(0, ...prices.map((price) => price.usd_per_million));
  const neurons = Math.max(0, ...prices.map((price) => price.neurons_per_million ?? 0));
  return { cost_usd: (units * usd) / 1_000_000, neurons: (units * neurons) / 1_000_000 };
}
