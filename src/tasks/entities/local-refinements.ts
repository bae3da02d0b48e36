// Fixes to the local tier's entity spans for what support mail, chat and forms hold, found on the
// dev split of the hard set (eval/tasks-hard/entities.mjs, docs/local-tier.md#entities-on-the-hard-set):
// identifiers are not numbers ("order #48213", "v2.3.1", "Room 412", "14 Elm Street", "IL 62704"),
// slash and ordinal dates ("on 3/4", "from the 22nd"), durations wink misses or mis-bounds
// ("3-5 business days", "120ms", "over 36 months", "since 2012" is a date), clock times in words
// ("half past two", "at 7"), time zones ("04:00 CET"), phone extensions, and mentions, hashtags
// and URLs without a scheme. Every pattern is linear: no nested quantifier can match the same
// characters two ways, and context is read from a bounded window around a span.
import type { Entity } from './schema';

const WORD_NUMBER = 'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety|a couple of|a few|several';
const UNIT = 'milliseconds?|ms|seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|wks?|fortnights?|months?|years?|yrs?';
const HOUR_WORD = 'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve';

/** Extra patterns, tried alongside local-recognizers' (patterns win over wink where they overlap). */
export const EXTRA_PATTERNS: { type: string; pattern: RegExp; heuristic?: boolean }[] = [
  // "3-5 business days", "2 hours 40 minutes", "4-hour", "two weeks", "48 hours".
  {
    type: 'duration',
    pattern: new RegExp(
      String.raw`(?<![\p{L}\p{N}.,])(?:\d+(?:[.,]\d+)?(?:\s?[-–]\s?\d+)?|(?:${WORD_NUMBER}))(?:-|\s)(?:(?:business|working|calendar|school)\s)?(?:${UNIT})(?:\s(?:and\s)?\d+\s(?:minutes?|mins?|seconds?|secs?))?(?![\p{L}\p{N}])`,
      'giu',
    ),
  },
  // Glued short units: "120ms", "2.4s", "2h 15m", "45min".
  { type: 'duration', pattern: /(?<![\p{L}\p{N}.,])\d+(?:\.\d+)?(?:ms|s|min|h(?:\s?\d{1,2}m)?)(?![\p{L}\p{N}])/gu },
  // "in a fortnight", "for an hour": "a"/"an" as the count only after a word that asks for a length
  // ("€950 a month" and "once a week" are rates, not durations).
  { type: 'duration', pattern: new RegExp(String.raw`(?<=\b(?:in|for|within|after|over|under|than|about|nearly|almost|takes|took|lasts|lasted)\s)an?\s(?:${UNIT})(?![\p{L}\p{N}])`, 'giu') },
  // "half past two", "quarter to nine", "ten past six".
  { type: 'time', pattern: new RegExp(String.raw`(?<![\p{L}])(?:half|(?:a\s)?quarter|five|ten|twenty|twenty-five)\s(?:past|to)\s(?:${HOUR_WORD}|noon|midnight|1[0-2]|[1-9])(?![\p{L}\p{N}])`, 'giu') },
  // "see u at 7", "at 5 o'clock": an hour after "at" that ends the clause.
  { type: 'time', pattern: /(?<=\bat\s)(?:1[0-2]|[1-9])(?:\so['’]clock)?(?=\s*$|\s*[.,!?;)](?!\d)|\s+(?:\p{Extended_Pictographic}|tonight|then|sharp)|\s+o['’]clock)/giu },
  // "20 bucks", "45 dollars".
  { type: 'money', pattern: /(?<![\p{L}\p{N}.,])\d+(?:[.,]\d+)?k?\s(?:dollars?|bucks|euros?|pounds?|quid|cents?|pence|rupees?|yen|francs?)(?![\p{L}])/giu },
  // "1.5k" (wink reads "1.5") and the multiplier "3x".
  { type: 'number', pattern: /(?<![\p{L}\p{N}.,\p{Sc}])\d+(?:\.\d+)?k(?![\p{L}\p{N}])/gu },
  { type: 'number', pattern: /(?<![\p{L}\p{N}.,])\d+x(?=\s)/gu },
  // "@sunny.days_22", "@dana.k": dots inside a handle (wink stops at the first one).
  { type: 'mention', pattern: /(?<![\p{L}\p{N}._%+-])@[\p{L}\p{N}_]+(?:\.[\p{L}\p{N}_]+)*/gu },
  // "#30th": a tag that starts with a digit but holds a letter; "#48213" is an order number.
  { type: 'hashtag', pattern: /(?<![\p{L}\p{N}&#])#\p{N}+[\p{L}_][\p{L}\p{N}_]*/gu },
  // "status.cloudnine.io", "github.com/acme/widget": a host under a common top-level domain (a
  // guess, scored as one: "node.io" may be a file name).
  {
    type: 'url',
    heuristic: true,
    pattern: /(?<![\p{L}\p{N}@.\/:-])(?:[a-z0-9-]+\.)+(?:com|org|net|io|co|uk|de|fr|es|it|nl|eu|ca|au|us|info|biz|app|dev|ai|me|gov|edu)(?:\/[^\s<>"'`]*)?(?![\p{L}\p{N}@-])/gu,
  },
];

/** Words that, right before a number, make it an identifier: "order 55190", "Room 412", "card ending 4821". */
const IDENTIFIER_BEFORE =
  /\b(?:order|invoice|ticket|case|ref|reference|booking|confirmation|room|suite|apt|apartment|flat|bed|platform|gate|flight|train|bus|route|error|code|status|user|account|acct|card|ending(?:\sin)?|version|build|model|sku|id|tracking|passport|policy|member|transaction|cheque|check|po|pin|ext|extension|item|part|serial)(?:\s?(?:no\.?|number|#|id))?[\s:#.]*$/iu;
const STREET_TYPE = 'Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Boulevard|Blvd|Drive|Dr|Way|Place|Pl|Court|Ct|Square|Sq|Terrace|Close|Crescent|Highway|Hwy';
/** After a house number: one to three capitalised words and a street type ("14 Elm Street", "350 Fifth Avenue"). */
const STREET = new RegExp(String.raw`^\s(?:\p{Lu}[\p{L}'’-]*\s){1,3}(?:${STREET_TYPE})\b`, 'u');
/** After an ordinal that names a street ("Fifth Avenue"). */
const STREET_NAMED = new RegExp(String.raw`^\s(?:\p{Lu}[\p{L}'’-]*\s){0,2}(?:${STREET_TYPE})\b`, 'u');
/** Two or three capitals before a number: a state before a ZIP code ("IL 62704"), an airline before a flight ("EK 29"). */
const CODE_BEFORE = /\b[A-Z]{2,3}\s$/u;

function isIdentifier(text: string, span: Entity): boolean {
  const before = text.slice(Math.max(0, span.start - 40), span.start);
  const charBefore = before.slice(-1);
  const charAfter = text[span.end] ?? '';
  if (/[\p{L}\p{N}#_\/]/u.test(charBefore)) return true;
  if (/[.-]/u.test(charBefore) && /[\p{L}\p{N}]/u.test(before.slice(-2, -1))) return true; // "v2.3.1", "INV-88"
  if (/[\p{L}\p{N}_]/u.test(charAfter) || (/[-\/]/u.test(charAfter) && /\p{N}/u.test(text[span.end + 1] ?? ''))) return true;
  if (IDENTIFIER_BEFORE.test(before)) return true;
  if (CODE_BEFORE.test(before)) return true;
  if (/^[45]\d\d$/u.test(span.text) && STATUS_BEFORE.test(before)) return true;
  return STREET.test(text.slice(span.end, span.end + 60));
}

const MONTH = String.raw`(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?`;
const WEEKDAY = String.raw`(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?`;
const DATE_TEXT = new RegExp(
  String.raw`^(?:(?:next|last|this|coming)\s+)?(?:${MONTH}(?:\s+\d{1,2}(?:st|nd|rd|th)?)?(?:,?\s+\d{4})?|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH}(?:,?\s+\d{4})?|${WEEKDAY}|today|tomorrow|yesterday|tonight|(?:next|last|this|coming)\s+(?:week(?:end)?|month|year|quarter)|\d{4}-\d{2}-\d{2}|(?:19|20)\d{2}|\d{1,2}\/\d{1,2}(?:\/\d{2,4})?)$`,
  'iu',
);
const WEEKDAY_TEXT = new RegExp(String.raw`^${WEEKDAY}$`, 'iu');
const LEADING = /^(?:since|over|about|around|approximately|roughly|nearly|almost|for|within|in|after|before|until|till|by|from|on|at)\s+/iu;
const TRAILING_RELATIVE = /\s+(?:before|after|ago|later|earlier)$/iu;
const HAS_COUNT = new RegExp(String.raw`\d|\b(?:${WORD_NUMBER}|a|an|half)\b`, 'iu');
const DURATION_TEXT = new RegExp(String.raw`^(?:\d+(?:[.,]\d+)?|${WORD_NUMBER}|an?)[\s-](?:${UNIT})$`, 'iu');
const DATE_PREPOSITION = /\b(?:on|by|until|till|from|since|due|dated|before|after|expires|expiring|expiry)\s$/iu;
const ORDINAL_DATE_BEFORE = new RegExp(String.raw`(?:\b(?:on|from|to|by|until|till|since|before|after|for|between|and)|${WEEKDAY})\sthe\s$`, 'iu');
const ORDINAL_DATE_AFTER = /^(?:$|[.,;:!?)]|\s(?:of|at|and|or|to|from|until|till|between|in|for)\b)/iu;
/** What joins the two ends of a range, most telling first ("2024-08-19 to 2024-08-23", "Mon – Fri"). */
const RANGE = [/\s+(?:to|until|till|through)\s+/iu, /\s*–\s*/u, /\s+-\s+/u];
/** An HTTP status after the word that reports it: "returns 429", "gets a 404", "error 500". */
const STATUS_BEFORE = /\b(?:returns?|returned|returning|gets?|got|getting|throws?|threw|http|status|error)(?:\s(?:a|an|the))?\s$/iu;
const ZONE = /^\s?(?:UTC|GMT|CET|CEST|EET|EEST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|BST|IST|AEST|AEDT|JST|SGT|HKT)(?![\p{L}\p{N}])/u;
const EXTENSION = /^,?\s?(?:ext\.?|extension|x)\s?\d{1,6}(?!\p{N})/iu;

const MAX_REFINED_SPAN = 64;

const at = (text: string, start: number, end: number, type: string, score: number): Entity => ({ type, text: text.slice(start, end), start, end, score });

/** One span, refined: kept, retyped, re-bounded, split in two or dropped. */
function refineOne(text: string, span: Entity): Entity[] {
  // wink's spans are a few tokens; a longer one is left as it is, so the span regexes stay cheap.
  if (span.text.length > MAX_REFINED_SPAN) return [span];
  let { start, end } = span;
  const { type, score } = span;
  if (type === 'number' || type === 'duration' || type === 'date' || type === 'time') {
    const lead = LEADING.exec(span.text);
    if (lead && lead[0].length < span.text.length) start += lead[0].length;
  }
  let value = text.slice(start, end);
  if (type === 'number') {
    if (/^(?:million|billion|thousand|hundred|dozen)$/iu.test(value)) return []; // "thanks a million"
    if (value === '24/7') return [];
    const slash = /^(\d{1,2})\/(\d{1,2})$/u.exec(value);
    if (slash && Number(slash[1]) <= 31 && Number(slash[2]) <= 31 && (Number(slash[1]) <= 12 || Number(slash[2]) <= 12) && DATE_PREPOSITION.test(text.slice(Math.max(0, start - 12), start))) {
      return [at(text, start, end, 'date', score)];
    }
    if (/^(?:0?[1-9]|1[0-2])\/(?:19|20)\d{2}$/u.test(value)) return [at(text, start, end, 'date', score)];
    if (isIdentifier(text, { ...span, start, end, text: value })) return [];
    return [at(text, start, end, type, score)];
  }
  if (type === 'ordinal') {
    const day = /^(\d{1,2})(?:st|nd|rd|th)$/iu.exec(value);
    if (day && Number(day[1]) >= 1 && Number(day[1]) <= 31 && ORDINAL_DATE_BEFORE.test(text.slice(Math.max(0, start - 16), start)) && ORDINAL_DATE_AFTER.test(text.slice(end, end + 12))) {
      return [at(text, start, end, 'date', score)];
    }
    if (/^\p{Lu}/u.test(value) && STREET_NAMED.test(text.slice(end, end + 50))) return []; // "350 Fifth Avenue"
    return [span];
  }
  if (type === 'duration' || type === 'date' || type === 'time') {
    const trail = TRAILING_RELATIVE.exec(value);
    if (trail && DURATION_TEXT.test(value.slice(0, trail.index))) {
      end = start + trail.index;
      return [at(text, start, end, 'duration', score)];
    }
    value = text.slice(start, end);
    // "Thursday to next week", "2024-08-19 to 2024-08-23": two dates, not a duration.
    const range = type === 'time' ? undefined : RANGE.map((separator) => separator.exec(value)).find((found) => found !== null);
    if (range && DATE_TEXT.test(value.slice(0, range.index)) && DATE_TEXT.test(value.slice(range.index + range[0].length))) {
      const firstEnd = start + range.index;
      return [at(text, start, firstEnd, 'date', score), at(text, firstEnd + range[0].length, end, 'date', score)];
    }
    if (/^(?:end|start|beginning) of (?:the )?day$/iu.test(value)) return []; // a deadline's time of day, not a date
    if (type === 'duration' && DATE_TEXT.test(value) && !HAS_COUNT.test(value.replace(/^(?:next|last|this|coming)\s+/iu, '').replace(/\d{4}|\d{1,2}\/\d{1,2}|\d+(?:st|nd|rd|th)/gu, ''))) {
      return [at(text, start, end, 'date', score)]; // "since March 3rd", "since 2012", "since yesterday"
    }
    if (type === 'duration' && !HAS_COUNT.test(value)) return []; // "per month", "a day" as a rate
    if (type === 'time') {
      const zone = ZONE.exec(text.slice(end, end + 6));
      if (zone) end += zone[0].length;
    }
    return [at(text, start, end, type, score)];
  }
  if (type === 'phone') {
    const extension = EXTENSION.exec(text.slice(end, end + 20));
    if (extension) return [at(text, start, end + extension[0].length, type, score)];
  }
  return [span];
}

/** "Tuesday, May 6", "Thursday the 14th", "1st of October": a weekday or a day and the date it names. */
function mergeDates(text: string, spans: Entity[]): Entity[] {
  const merged: Entity[] = [];
  for (const span of spans) {
    const previous = merged[merged.length - 1];
    if (previous && span.type === 'date' && (previous.type === 'date' || previous.type === 'ordinal')) {
      const gap = text.slice(previous.end, span.start);
      const weekdayFirst = previous.type === 'date' && WEEKDAY_TEXT.test(previous.text) && !WEEKDAY_TEXT.test(span.text) && /^(?:,?\s|\sthe\s)$/u.test(gap);
      const dayOfMonth = /^\d{1,2}(?:st|nd|rd|th)$/iu.test(previous.text) && gap === ' of ' && new RegExp(`^${MONTH}`, 'iu').test(span.text);
      if (weekdayFirst || dayOfMonth) {
        merged[merged.length - 1] = at(text, previous.start, span.end, 'date', Math.min(previous.score, span.score));
        continue;
      }
    }
    merged.push(span);
  }
  return merged;
}

/** The spans refined, in text order, none overlapping (an extended phone number takes its extension's digits). */
export function refineEntities(text: string, spans: Entity[]): Entity[] {
  const refined = spans.flatMap((span) => refineOne(text, span)).sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Entity[] = [];
  for (const span of refined) {
    const last = kept[kept.length - 1];
    if (last && span.start < last.end) continue;
    kept.push(span);
  }
  return mergeDates(text, kept);
}
