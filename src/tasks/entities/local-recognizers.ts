// The local tier's entity recognizers: wink-nlp's English lite model (dates, times, durations,
// money, percentages, numbers, ordinals, hashtags, mentions, emoticons, URLs, emails) plus a few
// patterns it lacks or gets wrong (phone numbers; e-mail addresses with non-ASCII letters; "www."
// URLs; "€10"; whole emoji sequences). It finds no person, organization or place names.
import { winkPipeline } from '../../providers/local/wink';
import type { Entity } from './schema';

/** Exact syntax: the match is what it says it is. */
const SYNTAX_SCORE = 1;
/** Heuristic rules (a digit string can be a phone number or an order number). */
const HEURISTIC_SCORE = 0.8;

interface Found {
  type: string;
  start: number;
  end: number;
  score: number;
}

const WINK_TYPES: Record<string, string> = {
  DATE: 'date', TIME: 'time', DURATION: 'duration', MONEY: 'money', PERCENT: 'percent',
  CARDINAL: 'number', ORDINAL: 'ordinal', HASHTAG: 'hashtag', MENTION: 'mention',
  EMOTICON: 'emoticon', URL: 'url', EMAIL: 'email',
};
const SYNTACTIC = new Set(['hashtag', 'mention', 'emoticon', 'url', 'email', 'emoji']);

const PATTERNS: { type: string; pattern: RegExp; accept?: (match: string) => boolean }[] = [
  { type: 'email', pattern: /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?![\p{L}\p{N}-])/gu },
  { type: 'url', pattern: /(?<![\p{L}\p{N}@.])(?:https?:\/\/|www\.)[^\s<>"'`]+/gu },
  {
    type: 'phone',
    pattern: /(?<![\p{L}\p{N}+.\/-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{1,5}(?:[\s.-]\d{2,8}){1,5}(?![\p{L}\p{N}]|[.\/-]\d)/gu,
    accept: looksLikePhone,
  },
  // "10 000 000" and "1,250,000" as one number (wink splits the spaced form).
  { type: 'number', pattern: /(?<![\p{L}\p{N}.,])\d{1,3}(?:(?:,\d{3})+|(?: \d{3})+)(?:\.\d+)?(?![\p{L}\p{N}]|[.,]\d)/gu },
  // 24-hour clock times ("07:45", "17:30:05"); wink only knows times with am/pm.
  { type: 'time', pattern: /(?<![\p{L}\p{N}:.,\/-])(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?![\p{L}\p{N}]|[:.,\/]\d)/gu },
  { type: 'money', pattern: /(?<![\p{L}\p{N}])\p{Sc}\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|bn|million|billion)\b)?/gu },
  {
    type: 'emoji',
    pattern: /[#*0-9]\uFE0F?\u20E3|\p{Regional_Indicator}{2}|(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F)\p{Emoji_Modifier}?(?:\u200D(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F?)\p{Emoji_Modifier}?)*/gu,
  },
];

/** 7–15 digits, shaped like a phone number rather than a date, an IP address or a grouped number. */
export function looksLikePhone(match: string): boolean {
  const digits = match.replace(/\D/g, '').length;
  if (digits < 7 || digits > 15) return false;
  if (/^\d{4}[-.]\d{1,2}[-.]\d{1,2}$|^\d{1,2}[-.]\d{1,2}[-.]\d{2,4}$/.test(match)) return false; // a date
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(match)) return false; // an IPv4 address
  if (/^\d{1,3}(?: \d{3})+$/.test(match)) return false; // "10 000 000"
  const separators = match.match(/[\s.-]+/g)?.length ?? 0;
  return match.startsWith('+') || match.includes('(') || separators >= 2 || digits >= 10;
}

function patternMatches(text: string): Found[] {
  const found: Found[] = [];
  for (const { type, pattern, accept } of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      if (accept && !accept(match[0])) continue;
      const score = SYNTACTIC.has(type) ? SYNTAX_SCORE : HEURISTIC_SCORE;
      found.push({ type, start: match.index, end: match.index + match[0].length, score });
    }
  }
  return found;
}

/** wink's entities, with offsets into the original text (its tokens keep their exact characters). */
function winkMatches(text: string): Found[] {
  const nlp = winkPipeline();
  const { its } = nlp;
  const doc = nlp.readDoc(text);
  const values = doc.tokens().out() as string[];
  const starts: (number | undefined)[] = [];
  let cursor = 0;
  for (const value of values) {
    const at = text.indexOf(value, cursor);
    starts.push(at < 0 ? undefined : at);
    if (at >= 0) cursor = at + value.length;
  }
  const found: Found[] = [];
  const spans = doc.entities().out(its.span) as unknown as [number, number][];
  const types = doc.entities().out(its.type) as unknown as string[];
  spans.forEach(([first, last], position) => {
    const type = WINK_TYPES[types[position] ?? ''];
    const start = starts[first];
    const lastStart = starts[last];
    // EMOJI is left to the pattern, which keeps ZWJ sequences, flags and skin tones whole.
    if (!type || start === undefined || lastStart === undefined) return;
    found.push({ type, start, end: lastStart + values[last]!.length, score: SYNTACTIC.has(type) ? SYNTAX_SCORE : HEURISTIC_SCORE });
  });
  return found;
}

/**
 * Sentence punctuation wink keeps on a token ("3:30pm.") or a URL pattern swallows, and a closing
 * bracket with no opening one — but not the dots of "a.m." or an emoticon's own characters.
 */
function trimPunctuation(text: string, found: Found): Found | undefined {
  if (found.type === 'emoticon' || found.type === 'emoji') return found;
  let { end } = found;
  for (;;) {
    const span = text.slice(found.start, end);
    const last = span.at(-1);
    if (last === '.' && /(?:^|[^\p{L}])(?:\p{L}\.){2,}$/u.test(span)) break;
    if (last && /[.,;:!?'"”’]/u.test(last)) end--;
    else if (last === ')' && count(span, ')') > count(span, '(')) end--;
    else break;
  }
  return end > found.start ? { ...found, end } : undefined;
}

const count = (value: string, char: string) => value.split(char).length - 1;

const overlaps = (a: Found, b: Found) => a.start < b.end && b.start < a.end;

/**
 * Patterns win over wink where they overlap (a phone number over wink's "cardinals" inside it),
 * unless wink found a longer span of the same type around the pattern's ("10:30 a.m." over "10:30").
 */
export function recognizeLocally(text: string): Entity[] {
  const kept: Found[] = [];
  const byPosition = (a: Found, b: Found) => a.start - b.start || b.end - a.end;
  const fromWink = winkMatches(text).sort(byPosition);
  const contains = (outer: Found, inner: Found) => outer.type === inner.type && outer.start <= inner.start && inner.end <= outer.end;
  const patterns = patternMatches(text);
  const widened = fromWink.filter((found) => patterns.some((pattern) => contains(found, pattern)));
  const first = [...patterns.filter((found) => !widened.some((other) => contains(other, found))), ...widened].sort(byPosition);
  for (const candidate of [...first, ...fromWink.filter((found) => !widened.includes(found))]) {
    const cleaned = trimPunctuation(text, candidate);
    if (cleaned && !kept.some((other) => overlaps(other, cleaned))) kept.push(cleaned);
  }
  return kept
    .sort(byPosition)
    .map(({ type, start, end, score }) => ({ type, text: text.slice(start, end), start, end, score }));
}
