import { directive } from '../sentiment-lexicon.mjs';
import { invalid, ok, type HfTaskHandler } from './types';

/** The text's first sentences within `maxWords` words: a crude, deterministic "summary". */
function leadSummary(text: string, maxWords: number): string {
  const sentences = text.replace(/\[\[hf:[\w.-]+\]\]/g, '').match(/[^.!?]+[.!?]*/g) ?? [];
  let summary = '';
  for (const sentence of sentences) {
    const next = `${summary} ${sentence.trim()}`.trim();
    if (summary && next.split(/\s+/).length > maxWords) break;
    summary = next;
  }
  return summary.split(/\s+/).slice(0, maxWords).join(' ');
}

/** summarization: `{inputs, parameters: {max_length, …}}` → `[{summary_text}]`; [[hf:object]] answers a bare object. */
export const summarize: HfTaskHandler = {
  task: 'summarize',
  models: ['sshleifer/distilbart-cnn-12-6', 'facebook/bart-large-cnn'],
  handle({ inputs, parameters }) {
    if (typeof inputs !== 'string') return invalid('inputs must be a string');
    const maxTokens = typeof parameters?.max_length === 'number' ? parameters.max_length : 142;
    const summary = { summary_text: leadSummary(inputs, Math.max(1, Math.floor(maxTokens / 1.4))) };
    return directive(inputs, 'hf') === 'object' ? ok(summary) : ok([summary]);
  },
};
