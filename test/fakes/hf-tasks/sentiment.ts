import { directive, positiveProbability } from '../sentiment-lexicon.mjs';
import { invalid, ok, type HfTaskHandler } from './types';

function classification(text: string) {
  const positive = positiveProbability(text);
  return [
    { label: 'POSITIVE', score: positive },
    { label: 'NEGATIVE', score: Math.round((1 - positive) * 10_000) / 10_000 },
  ].sort((a, b) => b.score - a.score);
}

/** text-classification: nested `[[{label, score}]]` like legacy serverless; [[hf:flat]] answers flat. */
export const sentiment: HfTaskHandler = {
  task: 'sentiment',
  models: ['distilbert/distilbert-base-uncased-finetuned-sst-2-english', 'ProsusAI/finbert'],
  handle({ inputs }) {
    if (typeof inputs !== 'string') return invalid('inputs must be a string');
    return directive(inputs, 'hf') === 'flat' ? ok(classification(inputs)) : ok([classification(inputs)]);
  },
};
