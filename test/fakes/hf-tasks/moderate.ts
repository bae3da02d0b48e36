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

const logit = (p: number) => Math.round(Math.log(p / (1 - p)) * 10_000) / 10_000;

/**
 * A TEI endpoint (`/endpoints/moderate/tei-…`) serving toxic-bert, as TEI's /predict does: the
 * `parameters` (`function_to_apply`) are ignored; scores are a softmax over the labels unless
 * `raw_scores: true`, then the logits; one string answers the flat list.
 */
function tei(scores: { label: string; score: number }[], raw: boolean) {
  const logits = scores.map(({ label, score }) => ({ label, score: logit(score) }));
  if (raw) return ok(logits);
  const total = logits.reduce((sum, { score }) => sum + Math.exp(score), 0);
  return ok(logits.map(({ label, score }) => ({ label, score: round(Math.exp(score) / total) })));
}

/**
 * text-classification for unitary/toxic-bert: nested `[[{label, score}]]` over the six Jigsaw
 * labels, independent (sigmoid) scores, best first; [[hf:flat]] answers the flat list. The
 * Inference Toolkit ignores a top-level `raw_scores`; a TEI endpoint does not (above).
 */
export const moderate: HfTaskHandler = {
  task: 'moderate',
  models: ['unitary/toxic-bert'],
  handle({ inputs, raw_scores: raw, __path: path }) {
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
    if (String(path ?? '').startsWith('/endpoints/moderate/tei-')) return tei(scores, raw === true);
    return directive(inputs, 'hf') === 'flat' ? ok(scores) : ok([scores]);
  },
};
