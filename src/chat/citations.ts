import type { Passage } from '../kb/types';
import type { StoredCitation } from '../storage/conversations';

/** Longest quoted source text returned in a citation. */
const MAX_CITATION_TEXT = 1_000;

/** The passage the prompt numbered `index`, as the response cites it. */
export function citationOf(index: number, passage: Passage): StoredCitation {
  return {
    index,
    document_id: passage.document_id,
    title: passage.title,
    ...(passage.url ? { url: passage.url } : {}),
    text: passage.text.length > MAX_CITATION_TEXT ? `${passage.text.slice(0, MAX_CITATION_TEXT - 1)}…` : passage.text,
  };
}

/** The citation numbers `[n]` used in a text, in order of first use. */
export function citedIndexes(text: string): number[] {
  const seen: number[] = [];
  for (const match of text.matchAll(/\[(\d{1,3})\]/g)) {
    const index = Number(match[1]);
    if (!seen.includes(index)) seen.push(index);
  }
  return seen;
}

/**
 * Keeps an answer's citation markers honest while it streams: `[n]` for a source that was not in
 * the prompt is dropped (a small model sometimes invents `[7]`); everything else passes through.
 * A possible marker is held back until it is complete, so streamed and non-streamed answers are
 * filtered identically. Numbers are not renumbered: streamed deltas cannot be rewritten later,
 * so `[n]` is the prompt's numbering and `citations[].index` equals it.
 */
export class CitationFilter {
  private pending = '';

  constructor(private readonly validIndexes: ReadonlySet<number>) {}

  push(delta: string): string {
    let out = '';
    for (const char of delta) {
      if (this.pending) {
        this.pending += char;
        if (char === ']') out += this.resolve();
        else if (!/^\[\d{0,3}$/.test(this.pending)) {
          out += this.pending;
          this.pending = '';
        }
      } else if (char === '[') this.pending = '[';
      else out += char;
    }
    return out;
  }

  flush(): string {
    const rest = this.pending;
    this.pending = '';
    return rest;
  }

  private resolve(): string {
    const marker = this.pending;
    this.pending = '';
    const index = Number(marker.slice(1, -1));
    return marker.length > 2 && !this.validIndexes.has(index) ? '' : marker;
  }
}

export function filterCitations(text: string, validIndexes: ReadonlySet<number>): string {
  const filter = new CitationFilter(validIndexes);
  return filter.push(text) + filter.flush();
}
