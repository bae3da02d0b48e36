import type { ChatSource, GenerationRequest, GenerationResult } from '../chat-types';
import type { TaskProvider } from '../types';
import { localEmbedder } from './semantic';

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
 * A shared word counts only when it is not among the most frequent English words ("last",
 * "night", "good", "time" are shared by off-topic questions and any documentation). Chosen on the
 * even half of eval/retrieval (`node eval/retrieval/chat-gate.mjs`): the largest cut that refuses
 * at most 3 of 51 on-topic questions. Words outside the vocabulary (product names) are rare.
 */
export const SHARED_WORD_MIN_RANK = 800;

/** Frequency rank of a word (0 = most frequent), undefined when rarer than the kept vocabulary. */
export type FrequencyRank = (word: string) => number | undefined;

/**
 * Does any source share a content word (stemmed) with the question — with `rank`, a word that is
 * not among the SHARED_WORD_MIN_RANK most frequent? Retrieval always returns its best passages,
 * related or not (hybrid search ranks by meaning too); quoting one that shares nothing with the
 * question answers something nobody asked (issue 14). Measured in docs/local-tier.md.
 */
export function sharesWordsWithQuestion(sources: ChatSource[], question: string, rank?: FrequencyRank): boolean {
  const asked = new Map([...words(question)].map((word) => [stem(word), word]));
  if (asked.size === 0) return true; // "and then?": nothing to judge by, let the passages speak.
  const rare = (word: string) => !rank || (rank(word) ?? Infinity) >= SHARED_WORD_MIN_RANK;
  return sources.some((source) =>
    [...words(`${source.title} ${source.text}`)].some((word) => {
      const mine = asked.get(stem(word));
      return mine !== undefined && (rare(mine) || rare(word));
    }),
  );
}

/**
 * The local tier's answer: no model, the best passages quoted and cited, saying so; and when no
 * passage shares a word with the question, the plain refusal instead of an unrelated quote.
 */
export function quotedAnswer(request: GenerationRequest, rank?: FrequencyRank): string {
  if (request.sources.length === 0 || !sharesWordsWithQuestion(request.sources, request.question, rank)) return NOTHING_TO_QUOTE;
  return `${QUOTING_INTRO}\n\n${quotedPassages(request.sources, request.question)}`;
}

export const localChat: TaskProvider<GenerationRequest, GenerationResult> = {
  provider: 'local',
  model: LOCAL_CHAT_MODEL,
  async run({ env, items }) {
    const rank = await frequencyRanks(env);
    return items.map((item) => ({ text: quotedAnswer(item, rank) }));
  },
  async *stream({ env, items }) {
    yield quotedAnswer(items[0]!, await frequencyRanks(env));
  },
};

/** The word vectors' frequency ranks; without them (no ASSETS binding) any shared word counts. */
async function frequencyRanks(env: { ASSETS?: Fetcher }): Promise<FrequencyRank | undefined> {
  try {
    const embedder = await localEmbedder(env);
    return (word) => embedder.frequencyRank(word);
  } catch {
    return undefined;
  }
}
