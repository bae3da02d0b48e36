import type { Chunk } from '../storage/kb-chunks';

/**
 * Chunk sizes, in characters of cleaned text (~4 characters per token in English):
 * - TARGET 800 (~200 tokens): one answerable passage — long enough to hold a policy's condition
 *   and its exception, short enough that a prompt fits 5–8 of them and the embedding stays focused
 *   (the 512-token embedding models read all of it).
 * - MAX 1,200: a chunk never exceeds this; a longer sentence is split at a word boundary.
 * - OVERLAP up to 200: the last sentences of a chunk start the next one, so an answer that
 *   straddles a boundary is whole in at least one chunk.
 */
export const CHUNK_TARGET_CHARS = 800;
export const CHUNK_MAX_CHARS = 1_200;
export const CHUNK_OVERLAP_CHARS = 200;

interface Span {
  start: number;
  end: number;
  /** The span ends a paragraph: a preferred place to end a chunk. */
  paragraphEnd: boolean;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Sentences (trimmed, with offsets), overlong ones cut at word boundaries. */
function sentenceSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const { segment, index } of segmenter.segment(text)) {
    const lead = segment.length - segment.trimStart().length;
    const trimmed = segment.trim();
    if (!trimmed) continue;
    let start = index + lead;
    const end = start + trimmed.length;
    // The segmenter leaves the blank line of a paragraph break in the following segments: look ahead.
    const paragraphEnd = end === text.length || /^[^\S\n]*\n[^\S\n]*\n/.test(text.slice(end, end + 64));
    // A paragraph break inside one "sentence" (headings, list items without periods) splits it.
    const pieces = text.slice(start, end).split(/\n\s*\n/);
    pieces.forEach((piece, k) => {
      const pieceStart = text.indexOf(piece, start);
      for (const span of cutLong(pieceStart, pieceStart + piece.length, text)) spans.push({ ...span, paragraphEnd: k < pieces.length - 1 || (paragraphEnd && span.end === pieceStart + piece.length) });
      start = pieceStart + piece.length;
    });
  }
  return spans.filter((span) => span.end > span.start);
}

function cutLong(start: number, end: number, text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  while (end - start > CHUNK_MAX_CHARS) {
    const window = text.slice(start, start + CHUNK_MAX_CHARS);
    const space = window.lastIndexOf(' ');
    const cut = space > CHUNK_MAX_CHARS / 2 ? start + space : start + CHUNK_MAX_CHARS;
    out.push({ start, end: cut });
    start = cut;
    while (start < end && /\s/.test(text[start]!)) start++;
  }
  if (end > start) out.push({ start, end });
  return out;
}

/**
 * Cuts cleaned text into overlapping, sentence-aligned chunks. A chunk ends at a paragraph break
 * once it is past half the target, else at the sentence that reaches the target; the next chunk
 * starts with the previous one's last sentences (up to the overlap) unless it began a paragraph.
 */
export function chunkText(text: string): Chunk[] {
  const spans = sentenceSpans(text);
  const chunks: Chunk[] = [];
  let first = 0;
  while (first < spans.length) {
    let last = first;
    while (last + 1 < spans.length) {
      const length = spans[last]!.end - spans[first]!.start;
      const next = spans[last + 1]!.end - spans[first]!.start;
      if (next > CHUNK_MAX_CHARS || length >= CHUNK_TARGET_CHARS) break;
      if (spans[last]!.paragraphEnd && length >= CHUNK_TARGET_CHARS / 2) break;
      last++;
    }
    const start = spans[first]!.start;
    const end = spans[last]!.end;
    chunks.push({ position: chunks.length, start, end, text: text.slice(start, end) });
    if (last + 1 >= spans.length) break;
    // Overlap: back up over whole sentences worth at most CHUNK_OVERLAP_CHARS, never to `first`.
    let next = last + 1;
    if (!spans[last]!.paragraphEnd) {
      while (next - 1 > first && spans[last]!.end - spans[next - 1]!.start <= CHUNK_OVERLAP_CHARS) next--;
    }
    first = next;
  }
  return chunks;
}
