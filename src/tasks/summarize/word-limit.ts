import { countWords } from '../answer/sentences';

/** Tokens a generation model needs for `words` English words (~1.33 per word) plus headroom for a full stop. */
export const tokensForWords = (words: number): number => Math.ceil(words * 1.4) + 8;

/**
 * Lines an instruct model puts before the summary itself ("Here is a summary of the text:",
 * "Summary:", "**Summary**", "Sure! …:"), which are not part of the answer.
 */
const PREAMBLE_LINE = /^\s*(?:\*\*|#+\s*)?(?:sure|certainly|okay|of course|here(?:'s| is| are)|below is|summary|the summary|a summary|in summary)\b[^\n]*?(?::|\*\*)\s*(?:\n|$)/i;
const INLINE_LABEL = /^\s*(?:\*\*)?(?:summary|tl;?dr)(?:\*\*)?\s*:\s*(?:\*\*)?\s*/i;

/** Removes a model's preamble, labels and wrapping quotes; collapses whitespace to single spaces. */
export function cleanGeneratedSummary(raw: string): string {
  let text = raw.trim();
  for (let guard = 0; guard < 3 && PREAMBLE_LINE.test(text); guard++) text = text.replace(PREAMBLE_LINE, '').trim();
  text = text.replace(INLINE_LABEL, '').trim();
  if (/^["“'].*["”']$/s.test(text)) text = text.slice(1, -1).trim();
  return text.replace(/\s+/g, ' ');
}

/**
 * Enforces the word limit: whole sentences while they fit; if not even the first sentence fits,
 * the first `maxWords` words, marked with an ellipsis.
 */
export function limitWords(text: string, maxWords: number): string {
  const normalized = text.trim().replace(/\s+/g, ' ');
  if (countWords(normalized) <= maxWords) return normalized;
  const sentences = normalized.match(/[^.!?]+(?:[.!?]+["”')\]]*|$)\s*/g) ?? [normalized];
  let kept = '';
  for (const sentence of sentences) {
    const candidate = kept + sentence;
    if (countWords(candidate) > maxWords) break;
    kept = candidate;
  }
  if (kept.trim()) return kept.trim();
  return `${normalized.split(' ').slice(0, maxWords).join(' ').replace(/[,;:\s]+$/, '')}…`;
}
