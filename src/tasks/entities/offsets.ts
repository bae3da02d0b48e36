// Hugging Face pipelines report `start`/`end` as Python string indices: Unicode code points, not
// the UTF-16 units JavaScript strings use, so any emoji or other astral character before an entity
// shifts them. Some endpoints report UTF-16 offsets, BPE models include the leading space, slow
// tokenizers send null, and `word` is the tokenizer's decoding ("U. S.", lowercased and
// accent-stripped by uncased models). Every offset is therefore checked against `word` on the
// original text, and repaired or searched for when it does not fit.

/** A text prepared for locating entity words in it. */
export interface TextIndex {
  text: string;
  /** UTF-16 offset of each code point index (length = code points + 1). */
  utf16AtCodePoint: number[];
  /** The text folded for comparison (see fold), and the original span each folded char came from. */
  folded: string;
  foldedStart: number[];
  foldedEnd: number[];
}

/** Case, accents, compatibility forms and whitespace do not count when comparing words. */
const foldChars = (value: string) => value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/gu, '');

export function indexText(text: string): TextIndex {
  const utf16AtCodePoint = [0];
  let folded = '';
  const foldedStart: number[] = [];
  const foldedEnd: number[] = [];
  let offset = 0;
  for (const char of text) {
    const next = offset + char.length;
    const units = foldChars(char);
    folded += units;
    // One entry per UTF-16 unit of the folded text, so indexOf positions line up.
    for (let unit = 0; unit < units.length; unit++) {
      foldedStart.push(offset);
      foldedEnd.push(next);
    }
    offset = next;
    utf16AtCodePoint.push(offset);
  }
  return { text, utf16AtCodePoint, folded, foldedStart, foldedEnd };
}

/** WordPiece continuation marks are decoding artefacts, never part of the text. */
const foldWord = (word: string) => foldChars(word.replace(/##/g, ''));

export interface Span {
  start: number;
  end: number;
}

function trimmed(text: string, span: Span): Span | undefined {
  let { start, end } = span;
  while (start < end && /\s/u.test(text[start]!)) start++;
  while (end > start && /\s/u.test(text[end - 1]!)) end--;
  return end > start ? { start, end } : undefined;
}

const isInt = (value: number | null | undefined): value is number => typeof value === 'number' && Number.isInteger(value);

/**
 * Where the entity `word` reported at [start, end) really is in the original text, in UTF-16
 * offsets: the code point reading if the word is there, else the UTF-16 reading, else the
 * occurrence of the word nearest to the reported position (or, without one, the first at or after
 * `searchFrom`), else the code point reading as given. Undefined when nothing usable is left.
 */
export function locateEntity(index: TextIndex, word: string, start: number | null, end: number | null, searchFrom: number): Span | undefined {
  const { text, utf16AtCodePoint } = index;
  const target = foldWord(word);
  const candidates: Span[] = [];
  const codePoints = utf16AtCodePoint.length - 1;
  if (isInt(start) && isInt(end) && start >= 0 && start < end && end <= codePoints) {
    candidates.push({ start: utf16AtCodePoint[start]!, end: utf16AtCodePoint[end]! });
  }
  if (isInt(start) && isInt(end) && start >= 0 && start < end && end <= text.length && !isSurrogateSplit(text, start, end)) {
    candidates.push({ start, end });
  }
  if (target) {
    for (const candidate of candidates) {
      if (foldChars(text.slice(candidate.start, candidate.end)) === target) return trimmed(text, candidate);
    }
    const found = nearestOccurrence(index, target, candidates[0]?.start, searchFrom);
    if (found) return found;
  }
  return candidates[0] ? trimmed(text, candidates[0]) : undefined;
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
function isSurrogateSplit(text: string, start: number, end: number): boolean {
  return isLowSurrogate(text.charCodeAt(start)) || (end < text.length && isLowSurrogate(text.charCodeAt(end)));
}

function nearestOccurrence(index: TextIndex, target: string, hint: number | undefined, searchFrom: number): Span | undefined {
  let best: Span | undefined;
  let bestDistance = Infinity;
  for (let at = index.folded.indexOf(target); at >= 0; at = index.folded.indexOf(target, at + 1)) {
    const span = { start: index.foldedStart[at]!, end: index.foldedEnd[at + target.length - 1]! };
    let distance = hint === undefined ? (span.start >= searchFrom ? span.start - searchFrom : Infinity) : Math.abs(span.start - hint);
    // "art" inside "Bart" is a worse match than a whole word anywhere else.
    if (!atWordBoundaries(index.text, span)) distance += index.text.length + 1;
    if (distance < bestDistance) [best, bestDistance] = [span, distance];
  }
  return best;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
function atWordBoundaries(text: string, span: Span): boolean {
  const before = text[span.start - 1];
  const after = text[span.end];
  return !(before && WORD_CHAR.test(before) && WORD_CHAR.test(text[span.start]!)) && !(after && WORD_CHAR.test(after) && WORD_CHAR.test(text[span.end - 1]!));
}
