// The local tier's entity recognizers: wink-nlp's English lite model (dates, times, durations,
// money, percentages, numbers, ordinals, hashtags, mentions, emoticons, URLs, emails) plus a few
// patterns it lacks or gets wrong (phone numbers; e-mail addresses with non-ASCII letters; "www."
// URLs; "€10"; whole emoji sequences), refined for support mail and chat (local-refinements.ts).
// It finds no person, organization or place names.
import { readBounded, winkPipeline } from '../../providers/local/wink';
import { EXTRA_PATTERNS, refineEntities } from './local-refinements';
import type { Entity } from './schema';

/** Exact syntax: the match is what it says it is. */
const SYNTAX_SCORE = 1;
/** Heuristic rules (a digit string can be a phone number or an order number). */
const HEURISTIC_SCORE = 0.8;
/**
 * wink reads at most this many work units of a text (providers/local/bounds.ts): all of an ordinary
 * 2,000-character text (~530 for one dense with prices, times and addresses, ~570 for prose with quotes and contractions), the
 * start of one made of nothing but tokens wink splits the slow way. The patterns below read every
 * text whole; they are linear. A text wink does not read whole gets a warning (types.ts).
 */
export const LOCAL_ENTITY_UNITS = 585;
/**
 * The work units one request's texts are read for in all (tasks/local-window.ts): what keeps the
 * model's work on the largest legal request within the CPU bound (docs/security.md#bounded-work).
 * The patterns still read every text whole.
 */
export const LOCAL_ENTITY_REQUEST_UNITS = 15_000;

/**
 * A candidate, made in the answer's own shape (type, text, start, end, score — the order its JSON
 * keeps): a text of nothing but amounts yields one per three characters, and a copy of each at
 * the end was a large share of such a request's work and garbage.
 */
type Found = Entity;

const WINK_TYPES: Record<string, string> = {
  DATE: 'date', TIME: 'time', DURATION: 'duration', MONEY: 'money', PERCENT: 'percent',
  CARDINAL: 'number', ORDINAL: 'ordinal', HASHTAG: 'hashtag', MENTION: 'mention',
  EMOTICON: 'emoticon', URL: 'url', EMAIL: 'email',
};
const SYNTACTIC = new Set(['hashtag', 'mention', 'emoticon', 'url', 'email', 'emoji']);

/**
 * An amount as written in English or in most of Europe: grouped by commas, dots or (thin) spaces
 * ("1,250.00", "1.250,00", "10 000"), or not ("12,50", "0.0004").
 */
const AMOUNT = String.raw`(?:\d{1,3}(?:[.,\u00A0\u202F ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)`;
/**
 * ISO 4217 codes common in support mail. After an amount "CAD" is left out: "10 CAD drawings" is
 * computer-aided design more often than Canadian dollars; before one ("CAD 20") it is money.
 */
const CODES_AFTER = 'USD|EUR|GBP|JPY|CHF|AUD|NZD|CNY|INR|SEK|NOK|DKK|PLN|CZK|HUF|BRL|MXN|ZAR|SGD|HKD|KRW';

/** `heuristic`: a guess even for a syntax type (a host without a scheme may not be a URL), scored as one. */
const PATTERNS: { type: string; pattern: RegExp; accept?: (match: string) => boolean; heuristic?: boolean }[] = [
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
  { type: 'money', pattern: new RegExp(`(?<![\\p{L}\\p{N}])\\p{Sc}\\s?${AMOUNT}(?!\\d)(?:\\s?(?:k|m|bn|million|billion)\\b)?`, 'gu') },
  // "12,50 €", "1.250,00 €", "49.99 EUR": the amount before its currency, as most of Europe writes it.
  // Not after a currency ("$1 $1" is two amounts, not "1 $"). It starts only where a run of digits
  // and separators does: tried at each group of "123 456 …" with no currency at the end, it would
  // read the rest of the run from every one (quadratic).
  { type: 'money', pattern: new RegExp(`(?<![\\p{L}\\p{N}.,\\p{Sc}]|[\\d\\p{Sc}]\\s)${AMOUNT}\\s?(?:\\p{Sc}|(?:${CODES_AFTER})(?![\\p{L}\\p{N}]))`, 'gu') },
  // "EUR 12,50", "USD 40", "CAD 20": the code before the amount.
  { type: 'money', pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${CODES_AFTER}|CAD)\\s?${AMOUNT}(?![\\p{N}]|[.,]\\d)`, 'gu') },
  {
    type: 'emoji',
    pattern: /[#*0-9]\uFE0F?\u20E3|\p{Regional_Indicator}{2}|(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F)\p{Emoji_Modifier}?(?:\u200D(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F?)\p{Emoji_Modifier}?)*/gu,
  },
  ...EXTRA_PATTERNS,
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
  for (const { type, pattern, accept, heuristic } of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      if (accept && !accept(match[0])) continue;
      const score = SYNTACTIC.has(type) && !heuristic ? SYNTAX_SCORE : HEURISTIC_SCORE;
      found.push({ type, text: match[0], start: match.index, end: match.index + match[0].length, score });
    }
  }
  return found;
}

/**
 * wink's entities, with offsets into the original text: its tokens are verbatim substrings of the
 * text in order, also where a long run was split (see readBounded).
 */
function winkMatches(text: string, units: number): Found[] {
  const { its } = winkPipeline('entities');
  const doc = readBounded(text, units, 'entities');
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
    const end = lastStart + values[last]!.length;
    found.push({ type, text: text.slice(start, end), start, end, score: SYNTACTIC.has(type) ? SYNTAX_SCORE : HEURISTIC_SCORE });
  });
  return found;
}

const INITIALS_AT_START = /(?:^|[^\p{L}])(?:\p{L}\.){2,}$/u;
const INITIALS = /[^\p{L}](?:\p{L}\.){2,}$/u;

/**
 * Whether text[start, end) ends in two or more letter-dot pairs ("a.m.", "U.S.") that begin the span
 * or follow a non-letter. Only the last 12 units are read: two pairs and the character before them
 * fit in 10 (astral letters included), and a third pair decides it alike.
 */
function endsWithInitials(text: string, start: number, end: number): boolean {
  const from = Math.max(start, end - 12);
  return (from === start ? INITIALS_AT_START : INITIALS).test(text.slice(from, end));
}

const TRAILING = /[.,;:!?'"”’]/u;

/**
 * Sentence punctuation wink keeps on a token ("3:30pm.") or a URL pattern swallows, and a closing
 * bracket with no opening one — but not the dots of "a.m." or an emoticon's own characters.
 * Linear in the span: the bracket counts are kept as characters come off the end.
 */
function trimPunctuation(text: string, found: Found): Found | undefined {
  if (found.type === 'emoticon' || found.type === 'emoji') return found;
  let { end } = found;
  let opening = -1;
  let closing = -1;
  for (;;) {
    const last = end > found.start ? text[end - 1] : undefined;
    if (last === '.' && endsWithInitials(text, found.start, end)) break;
    if (last && TRAILING.test(last)) end--;
    else if (last === ')') {
      if (opening < 0) [opening, closing] = [count(text, found.start, end, '('), count(text, found.start, end, ')')];
      if (closing <= opening) break;
      end--;
      closing--;
    } else break;
  }
  if (end === found.end) return found;
  return end > found.start ? { type: found.type, text: text.slice(found.start, end), start: found.start, end, score: found.score } : undefined;
}

function count(text: string, start: number, end: number, char: string): number {
  let total = 0;
  for (let at = text.indexOf(char, start); at >= 0 && at < end; at = text.indexOf(char, at + 1)) total++;
  return total;
}

const byPosition = (a: Found, b: Found) => a.start - b.start || b.end - a.end;

/**
 * Patterns win over wink where they overlap (a phone number over wink's "cardinals" inside it),
 * unless wink found a longer span of the same type around the pattern's ("10:30 a.m." over "10:30").
 * Near-linear in the matches: a text of nothing but amounts yields hundreds of them.
 */
export function recognizeLocally(text: string, units = LOCAL_ENTITY_UNITS): Entity[] {
  const fromWink = winkMatches(text, units).sort(byPosition);
  const patterns = patternMatches(text);
  // Per type, the pattern matches by start (the money patterns' may overlap; the marks below keep one).
  const patternsByType = new Map<string, Found[]>();
  for (const found of patterns) {
    const list = patternsByType.get(found.type);
    if (list) list.push(found);
    else patternsByType.set(found.type, [found]);
  }
  for (const list of patternsByType.values()) list.sort(byPosition);
  // wink spans around a same-type pattern match, and the pattern matches inside them.
  const widened = new Set<Found>();
  const inWidened = new Set<Found>();
  for (const found of fromWink) {
    const list = patternsByType.get(found.type);
    if (!list) continue;
    for (let index = firstStartingAt(list, found.start); index < list.length && list[index]!.start < found.end; index++) {
      if (list[index]!.end <= found.end) {
        widened.add(found);
        inWidened.add(list[index]!);
      }
    }
  }
  const first = [...patterns.filter((found) => !inWidened.has(found)), ...widened].sort(byPosition);
  // Kept spans never overlap, so one mark per character tells whether a candidate would.
  const taken = new Uint8Array(text.length);
  const kept: Found[] = [];
  for (const candidate of [...first, ...fromWink.filter((found) => !widened.has(found))]) {
    const cleaned = trimPunctuation(text, candidate);
    if (!cleaned || overlapsTaken(taken, cleaned)) continue;
    taken.fill(1, cleaned.start, cleaned.end);
    kept.push(cleaned);
  }
  return refineEntities(text, kept.sort(byPosition));
}

/** Whether any character of the span is marked (a loop: a subarray per candidate was a large share of a request's garbage). */
function overlapsTaken(taken: Uint8Array, { start, end }: Found): boolean {
  for (let at = start; at < end; at++) if (taken[at] === 1) return true;
  return false;
}

/** The index of the first match in `sorted` (by start) starting at or after `start`. */
function firstStartingAt(sorted: Found[], start: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]!.start < start) low = middle + 1;
    else high = middle;
  }
  return low;
}
