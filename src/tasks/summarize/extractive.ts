import type { LocalEmbedder } from '../../providers/local/semantic';
import { cosineSimilarity } from '../../lib/vectors';
import { winkWindow } from '../../providers/local/bounds';
import { countWords, sentenceSpans, type SentenceSpan } from '../answer/sentences';
import { limitWords } from './word-limit';

/**
 * Weights of a sentence's score in the local extractive summary: how many of the text's frequent
 * content words it holds, how close its meaning is to the whole text (word vectors), and where it
 * is (openings carry the gist in news, reports and reviews alike).
 */
export const FREQUENCY_WEIGHT = 0.4;
export const CENTRALITY_WEIGHT = 0.35;
export const POSITION_WEIGHT = 0.25;
/** Sentences shorter than this many words are mostly headings or fragments. */
const SHORT_SENTENCE_WORDS = 4;
/** A candidate this close in meaning to a chosen sentence would repeat it. */
const DUPLICATE_COSINE = 0.95;
/**
 * The summary is drawn from the first this many work units (providers/local/bounds.ts) of a text,
 * ~6,300 characters of English dense with numbers, more of plain prose (a 1,024-token
 * summarization model reads less): a bound on the work per text.
 */
export const LOCAL_SUMMARY_UNITS = 1_700;
/**
 * The work units one request's texts are read for in all (tasks/local-window.ts): what keeps the
 * model's work on the largest legal request within the CPU bound (docs/security.md#bounded-work).
 */
export const LOCAL_SUMMARY_REQUEST_UNITS = 8_000;

/** Each sentence's share of the text's recurring content words, scaled so the best is 1. */
function frequencyScores(sentences: SentenceSpan[]): number[] {
  const counts = new Map<string, number>();
  for (const sentence of sentences) for (const term of sentence.terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  const raw = sentences.map((sentence) => {
    const unique = [...new Set(sentence.terms)];
    // Divided by √length so that long sentences do not win by size alone.
    return unique.length === 0 ? 0 : unique.reduce((total, term) => total + counts.get(term)!, 0) / Math.sqrt(unique.length);
  });
  const best = Math.max(...raw);
  return raw.map((value) => (best > 0 ? value / best : 0));
}

/** Where an author ends a sentence: a full stop, question or exclamation mark (or an ellipsis), then any closing quotes or brackets. */
const SENTENCE_END = /[.!?…]["”'’)\]]*$/;

/**
 * The sentences of the read window that are whole: when the window stopped inside the text, its
 * last sentence is a fragment ("Sentence number 106 talks") unless it ends as a sentence does and
 * the text goes on after a space
 * ("3." of "3.5 million" does not). A fragment is no candidate: the summary promises sentences cut
 * at a sentence boundary, and an ellipsis-marked cut belongs only to a text with no whole sentence.
 */
function wholeSentences(sentences: SentenceSpan[], read: string, text: string): SentenceSpan[] {
  if (read.length === text.length || sentences.length === 0) return sentences;
  const last = sentences[sentences.length - 1]!;
  // `end` is an offset into the window, a prefix of the text: what follows it there is unread.
  const whole = SENTENCE_END.test(last.text.trimEnd()) && /^\s/.test(text.charAt(last.end));
  return whole ? sentences : sentences.slice(0, -1);
}

/**
 * The local tier's summary: the best-scoring sentences of the text, in their original order,
 * within `maxWords`. Extractive, so every sentence is the author's own; never rephrased. Drawn
 * from the first `units` work units: the window, or less when a request's texts share its budget.
 */
export async function extractiveSummary(text: string, maxWords: number, embedder: LocalEmbedder, units = LOCAL_SUMMARY_UNITS): Promise<string> {
  if (countWords(text) <= maxWords) return limitWords(text, maxWords);
  const read = winkWindow(text, units);
  const sentences = wholeSentences(sentenceSpans(read, units), read, text);
  if (sentences.length <= 1) return limitWords(text, maxWords);

  const [whole, ...vectors] = embedder.embed([read, ...sentences.map((sentence) => sentence.text)]);
  const frequency = frequencyScores(sentences);
  const scored = sentences.map((sentence, index) => {
    const centrality = Math.max(0, cosineSimilarity(whole!, vectors[index]!));
    const position = 1 / (1 + index * 0.5);
    const shortPenalty = sentence.wordCount < SHORT_SENTENCE_WORDS ? 0.5 : 1;
    return { index, score: shortPenalty * (FREQUENCY_WEIGHT * frequency[index]! + CENTRALITY_WEIGHT * centrality + POSITION_WEIGHT * position) };
  });

  const chosen: number[] = [];
  let words = 0;
  for (const { index } of [...scored].sort((a, b) => b.score - a.score || a.index - b.index)) {
    const sentence = sentences[index]!;
    if (words + sentence.wordCount > maxWords) continue;
    if (chosen.some((other) => cosineSimilarity(vectors[other]!, vectors[index]!) > DUPLICATE_COSINE)) continue;
    chosen.push(index);
    words += sentence.wordCount;
  }
  if (chosen.length === 0) return limitWords(sentences[scored.reduce((a, b) => (b.score > a.score ? b : a)).index]!.text, maxWords);
  return chosen
    .sort((a, b) => a - b)
    .map((index) => sentences[index]!.text.replace(/\s+/g, ' '))
    .join(' ');
}
