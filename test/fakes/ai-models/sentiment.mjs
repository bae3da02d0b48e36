import { positiveProbability } from '../sentiment-lexicon.mjs';

const round = (value) => Math.round(value * 10_000) / 10_000;

/** `@cf/huggingface/distilbert-sst-2-int8`: `{ text }` → `[{ label, score }]`, both labels, best first. */
export const models = {
  '@cf/huggingface/distilbert-sst-2-int8': (inputs) => {
    if (typeof inputs?.text !== 'string' || inputs.text.length === 0) throw new Error('3003: Request is missing headers or body: text');
    const positive = positiveProbability(inputs.text);
    return [
      { label: 'NEGATIVE', score: round(1 - positive) },
      { label: 'POSITIVE', score: positive },
    ].sort((a, b) => b.score - a.score);
  },
};
