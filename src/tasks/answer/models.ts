import type { CatalogModel } from '../../providers/pricing';

export const HF_QA_MODEL = 'deepset/roberta-base-squad2';
export const LOCAL_QA_MODEL = 'minnow/sentence-qa-en';

/**
 * Units are estimated input tokens of the question plus the context (an extractive model writes
 * nothing, so there are no output tokens). Workers AI has no extractive QA model: not listed.
 */
export const answerModels: CatalogModel[] = [
  {
    id: HF_QA_MODEL,
    task: 'answer',
    provider: 'huggingface',
    description: 'RoBERTa-base fine-tuned on SQuAD 2.0: extractive answer span with a probability',
    max_input_tokens: 512,
    price: { unit: 'input_token', usd_per_million: 0.05, source: 'estimate' },
  },
  {
    id: LOCAL_QA_MODEL,
    task: 'answer',
    provider: 'local',
    description: 'Embedded sentence matcher: the context sentence that best matches the question (IDF word overlap + word vectors)',
    price: { unit: 'input_token', usd_per_million: 0, source: 'free' },
  },
];
