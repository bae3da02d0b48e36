import type { ChatSource, GenerationRequest, GenerationResult } from '../chat-types';
import type { TaskProvider } from '../types';

export const LOCAL_CHAT_MODEL = 'minnow/quote-passages';
/** Sources quoted, best first, and how much of each. */
const QUOTED_SOURCES = 3;
const MAX_QUOTE_CHARS = 400;
export const QUOTING_INTRO = 'I can only quote our documentation right now, not write an answer. These passages look most relevant:';
export const NOTHING_TO_QUOTE = "I couldn't find anything about that in our documentation.";

/** Words a question shares with almost any passage: they say nothing about relevance. */
const COMMON = new Set('the and for are you your can how what when where which who why does did have has with this that from our not but all any was will would could should about into out get got there their them they then than been being its it’s'.split(' '));
const words = (text: string) => new Set((text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []).filter((word) => !COMMON.has(word)));
const overlapWith = (asked: Set<string>, text: string) => [...words(text)].filter((word) => asked.has(word)).length;

/**
 * The source's sentences that share words with the question (the best first, then in their own
 * order) within the limit; the opening sentence when none does. A quote should answer, not
 * recite the whole passage.
 */
export function quoteFrom(source: ChatSource, question: string): string {
  const asked = words(question);
  // Lines are sentences too (headings, list items): split on them before collapsing whitespace.
  const sentences = source.text
    .split(/\n+/)
    .flatMap((line) => line.replace(/\s+/g, ' ').trim().match(/[^.!?]+[.!?]*\s*/g) ?? [])
    // A heading that repeats the source's title says nothing the citation does not.
    .filter((sentence) => sentence.trim().toLowerCase() !== source.title.trim().toLowerCase());
  if (sentences.length === 0) sentences.push(source.text);
  const ranked = sentences
    .map((sentence, position) => ({ sentence: sentence.trim(), position, overlap: overlapWith(asked, sentence) }))
    .sort((a, b) => b.overlap - a.overlap || a.position - b.position);
  const relevant = ranked.filter((candidate, index) => candidate.overlap > 0 || index === 0);
  const chosen: typeof ranked = [];
  let length = 0;
  for (const candidate of relevant) {
    if (chosen.length > 0 && length + candidate.sentence.length > MAX_QUOTE_CHARS) continue;
    chosen.push(candidate);
    length += candidate.sentence.length;
  }
  const quote = chosen.sort((a, b) => a.position - b.position).map((entry) => entry.sentence).join(' ');
  return quote.length > MAX_QUOTE_CHARS ? `${quote.slice(0, MAX_QUOTE_CHARS - 1).trimEnd()}…` : quote;
}

/**
 * The best sources as cited block quotes, e.g. `> Refunds take 5 days. [1]`: the first (best
 * ranked) always, the next ones only if they share words with the question.
 */
export function quotedPassages(sources: ChatSource[], question: string): string {
  const asked = words(question);
  return sources
    .slice(0, QUOTED_SOURCES)
    .filter((source, index) => index === 0 || overlapWith(asked, `${source.title} ${source.text}`) > 0)
    .map((source) => `> ${quoteFrom(source, question)} [${source.index}]`)
    .join('\n\n');
}

/** Crude stems (-s, -es, -ed, -ing), so "refunds" meets "refund" and "charged" meets "charge". */
const stem = (word: string) => (word.length > 5 ? word.replace(/(?:ing|ed|es|s)$/, '') : word.replace(/s$/, ''));
const stems = (text: string) => new Set([...words(text)].map(stem));

/**
 * Does any source share a content word (stemmed) with the question? Retrieval always returns its
 * best passages, related or not (hybrid search ranks by meaning too, and the local word vectors
 * put "what's the weather in Paris?" nearest some passage); quoting one that shares no word with
 * the question answers something nobody asked (issue 14). Measured in docs/local-tier.md.
 */
export function sharesWordsWithQuestion(sources: ChatSource[], question: string): boolean {
  const asked = stems(question);
  if (asked.size === 0) return true; // "and then?": nothing to judge by, let the passages speak.
  return sources.some((source) => [...stems(`${source.title} ${source.text}`)].some((word) => asked.has(word)));
}

/**
 * The local tier's answer: no model, the best passages quoted and cited, saying so; and when no
 * passage shares a word with the question, the plain refusal instead of an unrelated quote.
 */
export function quotedAnswer(request: GenerationRequest): string {
  if (request.sources.length === 0 || !sharesWordsWithQuestion(request.sources, request.question)) return NOTHING_TO_QUOTE;
  return `${QUOTING_INTRO}\n\n${quotedPassages(request.sources, request.question)}`;
}

export const localChat: TaskProvider<GenerationRequest, GenerationResult> = {
  provider: 'local',
  model: LOCAL_CHAT_MODEL,
  async run({ items }) {
    return items.map((item) => ({ text: quotedAnswer(item) }));
  },
  async *stream({ items }) {
    yield quotedAnswer(items[0]!);
  },
};
