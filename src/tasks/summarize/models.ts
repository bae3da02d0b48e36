import type { CatalogModel } from '../../providers/pricing';

export const WORKERS_AI_SUMMARY_MODEL = '@cf/meta/llama-3.2-1b-instruct';
export const HF_SUMMARY_MODEL = 'sshleifer/distilbart-cnn-12-6';
export const LOCAL_SUMMARY_MODEL = 'minnow/extractive-summary-en';

/** Workers AI's published llama-3.2-1b-instruct rates, $ per million tokens (UPSTREAMS.md §1.2). */
const LLAMA_1B_INPUT_USD = 0.027;
const LLAMA_1B_OUTPUT_USD = 0.201;
/**
 * Billing unit: INPUT-TOKEN EQUIVALENTS. The pipeline prices one unit count per model, while a
 * generation model charges input and output tokens at different rates, so an item's units are
 * its estimated input tokens plus its expected output tokens weighted by the output/input price
 * ratio (0.201 / 0.027 ≈ 7.44), priced at the input rate. Expected output = the summary's word
 * budget (max_words, or the text's own length if shorter) in tokens: an upper bound, so a request
 * is never billed below what it can cost. Neurons follow the same unit (2457 per million input
 * tokens; 18252 per million output tokens ≈ 7.43 × 2457).
 */
export const OUTPUT_TOKEN_WEIGHT = LLAMA_1B_OUTPUT_USD / LLAMA_1B_INPUT_USD;

export const summarizeModels: CatalogModel[] = [
  {
    id: WORKERS_AI_SUMMARY_MODEL,
    task: 'summarize',
    provider: 'workers-ai',
    description: 'Llama 3.2 1B Instruct, prompted for an abstractive summary within the word limit',
    max_input_tokens: 60_000,
    price: { unit: 'input_token', usd_per_million: LLAMA_1B_INPUT_USD, neurons_per_million: 2457, source: 'published' },
  },
  {
    id: HF_SUMMARY_MODEL,
    task: 'summarize',
    provider: 'huggingface',
    description: 'DistilBART fine-tuned on CNN/DailyMail: abstractive news-style summaries (reads the first 1,024 tokens)',
    max_input_tokens: 1024,
    price: { unit: 'input_token', usd_per_million: 0.05, source: 'estimate' },
  },
  {
    id: LOCAL_SUMMARY_MODEL,
    task: 'summarize',
    provider: 'local',
    description: "Embedded extractive summary: the text's most central sentences, in order, within the word limit",
    price: { unit: 'input_token', usd_per_million: 0, source: 'free' },
  },
];
