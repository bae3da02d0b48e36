import { directive } from '../sentiment-lexicon.mjs';
import { invalid, ok, type HfTaskHandler } from './types';

const words = (text: string) => new Set((text.toLowerCase().match(/\p{L}+/gu) ?? []).map((w) => (w.length > 3 && w.endsWith('s') ? w.slice(0, -1) : w)));

/** An NLI head's entailment logit for "This example is {label}.": high when the text shares the label's words. */
function entailmentLogit(text: string, label: string): number {
  const textWords = words(text);
  const labelWords = [...words(label)];
  const shared = labelWords.filter((word) => textWords.has(word)).length;
  return labelWords.length === 0 ? -2 : -2 + (5 * shared) / labelWords.length;
}

/**
 * zero-shot-classification (UPSTREAMS.md §2.2): `{inputs, parameters: {candidate_labels, multi_label}}`.
 * Answers the legacy/Toolkit `{sequence, labels, scores}` (labels best first) by default;
 * [[hf:new-shape]] answers the newer `[{label, score}]`, [[hf:listed-legacy]] wraps the legacy
 * object in a list.
 */
export const classify: HfTaskHandler = {
  task: 'classify',
  models: ['facebook/bart-large-mnli', 'MoritzLaurer/deberta-v3-base-zeroshot-v2.0'],
  handle({ inputs, parameters }) {
    if (typeof inputs !== 'string') return invalid('inputs must be a string');
    const candidates = parameters?.candidate_labels;
    if (!Array.isArray(candidates) || candidates.length === 0) return invalid("ZeroShotClassificationPipeline: missing 'candidate_labels'");
    const logits = candidates.map((label) => entailmentLogit(inputs, String(label)));
    const probabilities = parameters?.multi_label
      ? logits.map((logit) => 1 / (1 + Math.exp(-logit)))
      : logits.map((logit) => Math.exp(logit) / logits.reduce((sum, other) => sum + Math.exp(other), 0));
    const ranked = candidates
      .map((label, index) => ({ label: String(label), score: Math.round(probabilities[index]! * 10_000) / 10_000 }))
      .sort((a, b) => b.score - a.score);
    const legacy = { sequence: inputs, labels: ranked.map((entry) => entry.label), scores: ranked.map((entry) => entry.score) };
    switch (directive(inputs, 'hf')) {
      case 'new-shape': return ok(ranked);
      case 'listed-legacy': return ok([legacy]);
      default: return ok(legacy);
    }
  },
};
