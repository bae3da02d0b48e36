import type { CatalogModel } from '../../providers/pricing';

/** Workers AI: Cloudflare's published rate (UPSTREAMS.md §1.2); HF serverless: an estimate. */
export const sentimentModels: CatalogModel[] = [
  {
    id: '@cf/huggingface/distilbert-sst-2-int8',
    task: 'sentiment',
    provider: 'workers-ai',
    description: 'DistilBERT fine-tuned on SST-2 (int8), binary sentiment',
    labels: ['POSITIVE', 'NEGATIVE'],
    max_input_tokens: 512,
    price: { unit: 'input_token', usd_per_million: 0.026, neurons_per_million: 2394, source: 'published' },
  },
  {
    id: 'distilbert/distilbert-base-uncased-finetuned-sst-2-english',
    task: 'sentiment',
    provider: 'huggingface',
    description: 'DistilBERT SST-2 on Hugging Face Inference (serverless or a dedicated endpoint)',
    labels: ['POSITIVE', 'NEGATIVE'],
    max_input_tokens: 512,
    price: { unit: 'input_token', usd_per_million: 0.05, source: 'estimate' },
  },
  {
    id: 'minnow/wink-sentiment-en',
    task: 'sentiment',
    provider: 'local',
    description: 'Embedded lexicon sentiment (wink-nlp English lite model), runs inside the Worker',
    labels: ['positive', 'negative', 'neutral'],
    price: { unit: 'input_token', usd_per_million: 0, source: 'free' },
  },
];
