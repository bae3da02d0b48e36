import type { ItemEntity, ItemSentence } from 'wink-nlp';
import { readBounded, stemOf, winkPipeline } from '../../providers/local/wink';

/** One sentence of a text, located by UTF-16 offsets into the ORIGINAL text (`text.slice(start, end)`). */
export interface SentenceSpan {
  start: number;
  end: number;
  text: string;
  /** Content terms (stemmed non-stop words and numbers), in order, repeats kept. */
  terms: string[];
  /** Whitespace-separated words, as a summary's length is counted. */
  wordCount: number;
  /** wink's entity types inside the sentence (DATE, MONEY, CARDINAL, …). */
  entityTypes: Set<string>;
}

const WORD = /\p{L}/u;
const NUMBER_TYPES = new Set(['number', 'ordinal']);
const SKIPPED_TYPES = new Set(['tabCRLF', 'punctuation']);

/** Counts words the way limits are stated to callers: runs of non-space characters. */
export const countWords = (text: string): number => text.match(/\S+/g)?.length ?? 0;

/** The term a token contributes to overlap scoring, or undefined for stop words and punctuation. */
function termOf(type: string, stopWord: boolean, normal: string, value: string): string | undefined {
  if (NUMBER_TYPES.has(type)) return normal;
  if (type !== 'word' || stopWord || !WORD.test(normal) || normal.length < 2) return undefined;
  return stemOf(value).toLowerCase();
}

/**
 * Splits a text into sentences with wink-nlp and locates each one in the original text. wink's
 * tokens are verbatim substrings (its tokenizer is lossless), so walking them with `indexOf`
 * from a cursor gives exact offsets even where `doc.out()` trims or wink splits contractions (or
 * a long run: see readBounded). Only the first `maxUnits` work units are read: the sentences are
 * those of that window.
 */
export function sentenceSpans(text: string, maxUnits: number): SentenceSpan[] {
  const { its } = winkPipeline('entities');
  const doc = readBounded(text, maxUnits, 'entities');
  const tokens = doc.tokens();
  const values = tokens.out() as string[];
  const types = tokens.out(its.type) as string[];
  const stops = tokens.out(its.stopWordFlag) as unknown as boolean[];
  const normals = tokens.out(its.normal) as string[];

  const starts: number[] = [];
  let cursor = 0;
  for (const value of values) {
    const at = text.indexOf(value, cursor);
    // Never expected (lossless tokenizer); keep the cursor so later offsets stay monotonic.
    starts.push(at < 0 ? cursor : at);
    if (at >= 0) cursor = at + value.length;
  }

  const entityTypesByToken = new Map<number, string>();
  doc.entities().each((entity: ItemEntity) => {
    const [first, last] = entity.out(its.span) as unknown as [number, number];
    const type = String((entity.out(its.detail) as unknown as { type: string }).type);
    for (let index = first; index <= last; index++) entityTypesByToken.set(index, type);
  });

  const spans: SentenceSpan[] = [];
  doc.sentences().each((sentence: ItemSentence) => {
    const [first, last] = sentence.out(its.span) as unknown as [number, number];
    const kept: number[] = [];
    for (let index = first; index <= last; index++) if (types[index] !== 'tabCRLF' && values[index]!.trim() !== '') kept.push(index);
    if (kept.length === 0) return;
    const start = starts[kept[0]!]!;
    const lastIndex = kept[kept.length - 1]!;
    const end = starts[lastIndex]! + values[lastIndex]!.length;
    const terms: string[] = [];
    const entityTypes = new Set<string>();
    for (const index of kept) {
      if (SKIPPED_TYPES.has(types[index]!)) continue;
      const term = termOf(types[index]!, Boolean(stops[index]), normals[index]!, values[index]!);
      if (term) terms.push(term);
      const entity = entityTypesByToken.get(index);
      if (entity) entityTypes.add(entity);
    }
    const sentenceText = text.slice(start, end);
    spans.push({ start, end, text: sentenceText, terms, wordCount: countWords(sentenceText), entityTypes });
  });
  return spans;
}

/** The content terms of a short text (a question), scored against sentences' terms. */
export function contentTerms(text: string, maxUnits: number): string[] {
  return sentenceSpans(text, maxUnits).flatMap((span) => span.terms);
}
