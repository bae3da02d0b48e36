// Bounds on the text the local tier's models read (see wink.ts for why, and
// docs/security.md#bounded-work for the figures). Pure string functions, linear in what they read.

/** Longest run of non-space characters (code points) the tokenizer sees in one piece. */
export const MAX_RUN = 64;

/**
 * Characters wink-nlp's tokenizer splits on (spaces, the Unicode spaces it knows, tabs and line
 * breaks, which become tokens of their own). Not `\s`: wink does not split on U+FEFF, so counting it
 * as a break would let a long run through.
 */
const BREAK = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/**
 * A run longer than MAX_RUN, matched only from its start (the look-behind): an unanchored pattern
 * tried again at every character of every word, and was ~5 % of a large request.
 */
const LONG_RUN = new RegExp(`(?<![^${BREAK}])[^${BREAK}]{${MAX_RUN + 1},}`, 'gu');
const RUN_SLICE = new RegExp(`[^]{1,${MAX_RUN}}`, 'gu');

/** Inserts a space after every MAX_RUN code points of a longer run; text without long runs comes back as is. */
export function splitLongRuns(text: string): string {
  return text.replace(LONG_RUN, (run) => run.match(RUN_SLICE)!.join(' '));
}

/**
 * A piece: a run of letters or a run of digits (each at most MAX_RUN long), or any single other
 * mark. wink's tokens never outnumber the pieces by more than a small factor (it splits "cannot"
 * in two, never "3rd3rd" into more than "3", "rd", "3", "rd"), so counting pieces bounds its work.
 */
const PIECE = new RegExp(`[\\p{L}\\p{M}]{1,${MAX_RUN}}|\\p{N}{1,${MAX_RUN}}|[^\\s\\p{L}\\p{M}\\p{N}]`, 'gu');

/**
 * The text up to (not including) its `maxPieces + 1`-th piece: a prefix, so offsets into it are
 * offsets into `text`. Reads only as far as the window reaches. The word-vector reads are windowed
 * by pieces (one vector lookup each); what wink reads is windowed by work units (`winkWindow`).
 */
export function windowText(text: string, maxPieces: number): string {
  const pieces = new RegExp(PIECE.source, PIECE.flags);
  let count = 0;
  for (let match = pieces.exec(text); match; match = pieces.exec(text)) {
    if (++count > maxPieces) return text.slice(0, match.index);
    if (match[0].length === 0) pieces.lastIndex++;
  }
  return text;
}

// What wink's work is counted in. wink takes each raw token (a run between the characters it
// splits on) whole when it knows it or one of its category patterns matches it — a word, a word
// with a mark after it, a number, an ordinal — for ~0.4–1 µs. Any other token of two or more
// pieces ("$1", ".1", "1a", "#1", "10%", "a,b", "well-known", a 64-character slice of a long
// run) goes through its recursive tokenizer, ~20 regular expressions per fragment: ~2.5 µs a
// token and ~0.8 µs a piece more (measured per shape: docs/security.md#bounded-work), where an
// ordinary piece costs ~0.65 µs. Counting those at SLOW_TOKEN_UNITS + SLOW_PIECE_UNITS a piece
// keeps a unit's cost within a small factor whatever the text is made of, so a window of units
// bounds the work where a window of pieces let `$1 $1 …` cost ~4× ordinary text of as many pieces.

/** Work units a raw token wink splits the slow way costs before its pieces. */
export const SLOW_TOKEN_UNITS = 3;
/** Work units of each piece of a raw token wink splits the slow way. */
export const SLOW_PIECE_UNITS = 2;

/** A raw token as wink's tokenizer sees it (a long run is cut into MAX_RUN slices first). */
const RAW_TOKEN = new RegExp(`[^${BREAK}]{1,${MAX_RUN}}`, 'gu');
/** One piece alone (a raw token is at most MAX_RUN long): wink takes it whole. */
const ONE_PIECE = new RegExp(`^(?:[\\p{L}\\p{M}]+|\\p{N}+|[^\\s\\p{L}\\p{M}\\p{N}])$`, 'u');
// Raw tokens of several pieces that wink takes whole or splits with its cheap rules — each
// alternative below is a subset of one of wink-eng-lite-web-model's token categories or of its
// punctuation helpers (trex.ltc and trex.helpers in the model; test/local-bounds.test.ts
// holds them to it). Anything they miss is counted as slow, which only windows sooner; a
// generous rule would let a slow shape through at the cheap rate (single letters are left out
// because wink's helpers need two characters inside the marks: "(a" and "1." go the slow way).
const LATIN = 'A-Za-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u00FF';
const ORDINAL = '1\\dth|[04-9]th|1st|2nd|3rd|[02-9]1st|[02-9]2nd|[02-9]3rd|[02-9][04-9]th|\\d+\\d[04-9]th|\\d+\\d1st|\\d+\\d2nd|\\d+\\d3rd';
const NUMBER = '[+-]?\\d+(?:[.,/:-]\\d+)*';
/** Contractions in the model's lexicon, which wink looks up whole. */
const CONTRACTION =
  "(?:[Dd]o|[Dd]oes|[Dd]id|[Ii]s|[Aa]re|[Ww]as|[Ww]ere|[Hh]as|[Hh]ave|[Hh]ad|[Cc]a|[Ww]o|[Ww]ould|[Cc]ould|[Ss]hould|[Mm]ust|[Nn]eed|[Mm]ight|[Aa]i|[Ss]ha)n['’]t" +
  "|(?:[Yy]ou|[Ww]e|[Tt]hey)['’](?:re|ve|ll|d)|(?:[Hh]e|[Ss]he|[Ii]t|[Tt]hat|[Tt]here|[Ww]hat|[Ww]ho)['’](?:s|ll|d)|I['’](?:ve|ll|d)|[Ll]et['’]s";
/** Marks wink's `anyWithRP` helper takes off the end of a token it then detects whole. */
const RIGHT_MARK = `[’'”"…,.!;?:]`;
const EMAIL = '\\w+(?:\\.\\w+)*@[A-Za-z0-9]+(?:\\.[A-Za-z0-9]+)*\\.[A-Za-z][A-Za-z0-9]*';
/** Tokens wink takes whole: a word, a word and a mark (its wordRP category), a number, an ordinal, an e-mail address, a contraction. */
const WHOLE = `(?:[${LATIN}]+[’”"\\])}…,.!;?/:]?|${NUMBER}|${ORDINAL}|${EMAIL}|${CONTRACTION})`;
const CHEAP_TOKEN = new RegExp(
  '^(?:' +
    [
      WHOLE,
      `(?=.{3})(?![‘“"\\[({…\\-–])${WHOLE}${RIGHT_MARK}`, // one of those of two characters or more, not after a mark, and a mark: its anyWithRP helper
      `[‘“"\\[({][${LATIN}]{2,}[’'”"\\])}…,!;?:]?`, // a word after a mark, or in marks: its anyWithLP and LPanyRP helpers
      `[${LATIN}]{2,}'s`, // a possessive: anyWithRP's 's
    ].join('|') +
    ')$',
  'u',
);

/**
 * The most work units one UTF-16 unit of text can cost: a slow token of two characters ("$1"),
 * SLOW_TOKEN_UNITS + 2 × SLOW_PIECE_UNITS for two; a longer one costs less a character, and a
 * slow token of one character (U+FEFF) has no piece, so SLOW_TOKEN_UNITS.
 */
const MAX_UNITS_PER_CHAR = (SLOW_TOKEN_UNITS + 2 * SLOW_PIECE_UNITS) / 2;

/** The most work units `text` can cost, read without looking at it: what a cheap bound on a request's reading is built from. */
export const mostUnitsOf = (text: string): number => text.length * MAX_UNITS_PER_CHAR;

/** Whether wink takes this raw token whole or by its cheap rules (one unit a piece). */
export const isCheapToken = (token: string) => ONE_PIECE.test(token) || CHEAP_TOKEN.test(token);

/**
 * The longest prefix of `text` whose pieces cost at most `maxUnits` work units (see above), cut
 * at the start of a piece, so offsets into it are offsets into `text`. Reads only as far as the
 * window reaches; text that fits comes back as is.
 */
export function winkWindow(text: string, maxUnits: number): string {
  // No character costs more than MAX_UNITS_PER_CHAR: a short text is read whole without a look.
  if (mostUnitsOf(text) <= maxUnits) return text;
  return text.slice(0, countedUnits(text, maxUnits).end);
}

/** The work units of all of `text` (what `winkWindow` counts). */
export const workUnits = (text: string): number => countUnits(text, Infinity).units;

/** The work units of `winkWindow(text, maxUnits)`: what reading that window costs. */
export function windowUnits(text: string, maxUnits: number): number {
  if (mostUnitsOf(text) <= maxUnits) return workUnits(text);
  return countedUnits(text, maxUnits).units;
}

/**
 * The most work units each text may be read for so that texts costing `costs` (their windows'
 * units) together cost at most `budget`: every text gets at least an equal share, a text that
 * costs less is read whole, and the others split what it leaves (water-filling). Undefined when
 * all of them fit, which is what ordinary requests get.
 */
export function shareUnits(costs: number[], budget: number): number | undefined {
  let left = budget;
  const sorted = [...costs].sort((a, b) => a - b);
  for (let index = 0; index < sorted.length; index++) {
    const each = Math.floor(left / (sorted.length - index));
    if (sorted[index]! > each) return each;
    left -= sorted[index]!;
  }
  return undefined;
}

// One request counts a long text's window several times: to share its budget (the task's options,
// read by admission and by the pipeline), to read it, and for its warning. The count of a text's
// last window is kept (by value: V8 hashes a string once), so those are one count, not four.
const counts = new Map<string, { maxUnits: number; end: number; units: number }>();
/** Bounds the memo to what a few full requests hold (texts are kept by reference: ≤ ~10 MB). */
const MAX_MEMO_COUNTS = 256;

function countedUnits(text: string, maxUnits: number): { end: number; units: number } {
  const known = counts.get(text);
  if (known?.maxUnits === maxUnits) return known;
  const counted = countUnits(text, maxUnits);
  if (counts.size >= MAX_MEMO_COUNTS) counts.clear();
  counts.set(text, { maxUnits, ...counted });
  return counted;
}

/** Counts `text`'s work units up to `maxUnits`: where the window ends, and the units before it. */
// The count's own global patterns, reused (it is synchronous; each call starts them at 0): making
// two per call was most of the cost of counting the many short tokens moderation's e-mail search counts.
const COUNT_TOKENS = new RegExp(RAW_TOKEN.source, RAW_TOKEN.flags);
const COUNT_PIECES = new RegExp(PIECE.source, PIECE.flags);

function countUnits(text: string, maxUnits: number): { end: number; units: number } {
  const tokens = COUNT_TOKENS;
  const pieces = COUNT_PIECES;
  tokens.lastIndex = 0;
  pieces.lastIndex = 0;
  let units = 0;
  for (let token = tokens.exec(text); token; token = tokens.exec(text)) {
    const value = token[0];
    // Most tokens of ordinary text are one word: one unit, without walking its pieces.
    if (ONE_PIECE.test(value)) {
      if (units + 1 > maxUnits) return { end: token.index, units };
      units++;
      continue;
    }
    // A slow token costs SLOW_TOKEN_UNITS even without a piece (a run of U+FEFF, which is neither).
    const [before, each] = CHEAP_TOKEN.test(value) ? [0, 1] : [SLOW_TOKEN_UNITS, SLOW_PIECE_UNITS];
    // A token has at most as many pieces as UTF-16 units: far from the limit, count them at once.
    if (units + before + each * value.length <= maxUnits) {
      units += before + each * (value.match(pieces)?.length ?? 0);
      continue;
    }
    // The token's own units count only once a piece of it is read (the window may end before it).
    let read = 0;
    for (let piece = pieces.exec(value); piece; piece = pieces.exec(value)) {
      if (units + before + (read + 1) * each > maxUnits) {
        pieces.lastIndex = 0;
        return { end: token.index + piece.index, units: read === 0 ? units : units + before + read * each };
      }
      read++;
    }
    units += read === 0 ? 0 : before + read * each;
    pieces.lastIndex = 0;
  }
  return { end: text.length, units };
}
