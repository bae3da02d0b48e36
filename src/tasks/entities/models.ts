import type { CatalogModel } from '../../providers/pricing';

/** No Workers AI model does NER. HF serverless: an estimate; a tenant's own endpoint costs minnow nothing. */
export const entitiesModels: CatalogModel[] = [
  {
    id: 'dslim/bert-base-NER',
    task: 'entities',
    provider: 'huggingface',
    description: 'BERT base fine-tuned on CoNLL-2003: person, organization, location, misc (English). Tenants can name their own token-classification model; its entity groups pass through as types',
    labels: ['person', 'organization', 'location', 'misc'],
    max_input_tokens: 512,
    price: { unit: 'input_token', usd_per_million: 0.05, source: 'estimate' },
  },
  {
    id: 'minnow/wink-patterns-en',
    task: 'entities',
    provider: 'local',
    description:
      'Embedded rules inside the Worker (wink-nlp English lite model + patterns): email, url, phone, money, date, time, duration, percent, number, ordinal, hashtag, mention, emoji, emoticon. ' +
      'It does NOT find names of people, organizations or places',
    labels: ['email', 'url', 'phone', 'money', 'date', 'time', 'duration', 'percent', 'number', 'ordinal', 'hashtag', 'mention', 'emoji', 'emoticon'],
    price: { unit: 'input_token', usd_per_million: 0, source: 'free' },
  },
];
