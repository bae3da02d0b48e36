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
const LONG_RUN = new RegExp(`[^${BREAK}]{${MAX_RUN}}(?=[^${BREAK}])`, 'gu');

/** Inserts a space after every MAX_RUN code points of a longer run; text without long runs comes back as is. */
export function splitLongRuns(text: string): string {
  return text.replace(LONG_RUN, '$& ');
}

/**
 * A piece: a run of letters or a run of digits (each at most MAX_RUN long), or any single other
 * mark. wink's tokens never outnumber the pieces by more than a small factor (it splits "cannot"
 * in two, never "3rd3rd" into more than "3", "rd", "3", "rd"), so counting pieces bounds its work.
 */
const PIECE = new RegExp(`[\\p{L}\\p{M}]{1,${MAX_RUN}}|\\p{N}{1,${MAX_RUN}}|[^\\s\\p{L}\\p{M}\\p{N}]`, 'gu');

/**
 * The text up to (not including) its `maxPieces + 1`-th piece: a prefix, so offsets into it are
 * offsets into `text`. Reads only as far as the window reaches.
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
