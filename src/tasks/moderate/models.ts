import type { CatalogModel } from '../../providers/pricing';

export const WORKERS_AI_MODERATION_MODEL = '@cf/meta/llama-guard-3-8b';
export const HF_MODERATION_MODEL = 'unitary/toxic-bert';
export const LOCAL_MODERATION_MODEL = 'minnow/lexicon-pii-en';

/**
 * Billing unit: estimated INPUT tokens. Llama Guard's verdict is a few tokens ("unsafe\nS1",
 * or the small JSON object) at $0.030/M against $0.484/M for input, i.e. well under 1% of a
 * call's cost, so output is not counted and the input rate is the model's price. (The prompt
 * template Cloudflare wraps around the text is not visible to minnow and not counted either.)
 */
export const moderateModels: CatalogModel[] = [
  {
    id: WORKERS_AI_MODERATION_MODEL,
    task: 'moderate',
    provider: 'workers-ai',
    description: 'Llama Guard 3 8B: safe/unsafe with the MLCommons hazard categories S1–S14',
    price: { unit: 'input_token', usd_per_million: 0.484, neurons_per_million: 44_003, source: 'published' },
  },
  {
    id: HF_MODERATION_MODEL,
    task: 'moderate',
    provider: 'huggingface',
    description: 'Toxic-BERT (Jigsaw): multi-label toxicity scores, flagged at the threshold',
    labels: ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'],
    max_input_tokens: 512,
    price: { unit: 'input_token', usd_per_million: 0.05, source: 'estimate' },
  },
  {
    id: LOCAL_MODERATION_MODEL,
    task: 'moderate',
    provider: 'local',
    description: 'Embedded rules: a small English abuse lexicon (profanity, threats, harassment, identity hate, self-harm phrasing) and personal-data detection (wink-nlp + checksums)',
    labels: ['profanity', 'threat', 'harassment', 'hate', 'self_harm', 'pii.email', 'pii.phone', 'pii.credit_card', 'pii.ssn', 'pii.iban'],
    price: { unit: 'input_token', usd_per_million: 0, source: 'free' },
  },
];
