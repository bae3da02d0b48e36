import type { CatalogModel } from '../../providers/pricing';

export const WORKERS_AI_TRANSLATION_MODEL = '@cf/meta/m2m100-1.2b';
/**
 * Hugging Face default: the Helsinki-NLP opus-mt model of the request's language pair, the
 * placeholders filled per call (`Helsinki-NLP/opus-mt-en-de`). Only pairs published under that
 * name exist (en→ja, for one, does not); a missing pair is a 404 and the router falls back.
 * A tenant's own model or endpoint (m2m100, NLLB …) is used as given, told `src_lang`/`tgt_lang`.
 */
export const HF_TRANSLATION_MODEL_TEMPLATE = 'Helsinki-NLP/opus-mt-{src}-{tgt}';

export function modelForPair(model: string, source: string, target: string): string {
  return model.replaceAll('{src}', source).replaceAll('{tgt}', target);
}

/**
 * Billing unit: TOKENS IN + OUT. m2m100 costs the same per input and output token ($0.342/M
 * each, UPSTREAMS.md §1.2) and a translation is about as long as its source, so an item's units
 * are twice its estimated input tokens, priced at that one rate (neurons likewise: 31,050/M).
 * No local model: minnow cannot translate inside the Worker.
 */
export const TRANSLATION_TOKENS_PER_INPUT_TOKEN = 2;

export const translateModels: CatalogModel[] = [
  {
    id: WORKERS_AI_TRANSLATION_MODEL,
    task: 'translate',
    provider: 'workers-ai',
    description: 'M2M100 1.2B: many-to-many translation between 100 languages (10 documented here)',
    max_input_tokens: 1024,
    price: { unit: 'input_token', usd_per_million: 0.342, neurons_per_million: 31_050, source: 'published' },
  },
  {
    id: HF_TRANSLATION_MODEL_TEMPLATE,
    task: 'translate',
    provider: 'huggingface',
    description: 'Helsinki-NLP opus-mt (Marian): one small model per language pair, chosen from source and target',
    max_input_tokens: 512,
    price: { unit: 'input_token', usd_per_million: 0.05, source: 'estimate' },
  },
];
