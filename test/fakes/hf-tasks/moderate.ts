import { directive } from '../sentiment-lexicon.mjs';
import { invalid, ok, type HfTaskHandler } from './types';

/** Which words raise which of toxic-bert's six labels in the stand-in. */
const SIGNALS: [string, RegExp][] = [
  ['obscene', /\b(fuck\w*|shit\w*)\b/i],
  ['insult', /\b(idiot|moron|stupid|loser)\b/i],
  ['threat', /\b(kill|hurt|destroy) (you|him|her)\b/i],
  ['identity_hate', /\bhateword\b/i],
];

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * text-classification for unitary/toxic-bert: nested `[[{label, score}]]` over the six Jigsaw
 * labels, independent (sigmoid) scores, best first; [[hf:flat]] answers the flat list.
 */
export const moderate: HfTaskHandler = {
  task: 'moderate',
  models: ['unitary/toxic-bert'],
  handle({ inputs }) {
    if (typeof inputs !== 'string') return invalid('inputs must be a string');
    const raised = SIGNALS.filter(([, pattern]) => pattern.test(inputs)).map(([label]) => label);
    const toxic = raised.length > 0;
    const scores = [
      { label: 'toxic', score: toxic ? 0.97 : 0.02 },
      { label: 'severe_toxic', score: raised.length > 1 ? 0.61 : 0.001 },
      ...['obscene', 'threat', 'insult', 'identity_hate'].map((label) => ({ label, score: raised.includes(label) ? 0.9 : 0.003 })),
    ]
      .map(({ label, score }) => ({ label, score: round(score) }))
      .sort((a, b) => b.score - a.score);
    return directive(inputs, 'hf') === 'flat' ? ok(scores) : ok([scores]);
  },
};
