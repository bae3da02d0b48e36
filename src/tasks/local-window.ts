import { winkWindow } from '../providers/local/bounds';
import type { TaskWarning } from './types';

// What the local tier's language model (wink) did not read, said in the envelope instead of
// dropped silently. Each task reads at most a fixed number of work units of a text
// (providers/local/bounds.ts, docs/security.md#bounded-work): all of an ordinary text of the
// longest legal size where the task promises to read everything (entities, moderation, answer),
// the start of a long one where a neural model would read only its start too (sentiment, rerank,
// summarize). A text made of tokens wink splits the slow way is read for fewer characters.

/** One text of a request, where the caller put it, and the work units the task's window holds. */
export interface WindowedText {
  field: string;
  text: string;
  units: number;
}

/** Texts named in the message before "and N more": the warning stays short for a full batch. */
const NAMED_TEXTS = 10;

export const LOCAL_READ_PART = 'local_tier_read_part';

/**
 * A `local_tier_read_part` warning naming each text the window does not read whole and how much
 * of it was read, or none. `rest` says what the task does with the part not read. Deterministic in
 * the texts alone, so a cached answer carries the same warning as the one that filled the cache.
 */
export function localWindowWarnings(texts: WindowedText[], rest: string): TaskWarning[] {
  const cut: string[] = [];
  for (const { field, text, units } of texts) {
    const read = winkWindow(text, units).length;
    if (read < text.length) cut.push(`${field} (${read.toLocaleString('en')} of ${text.length.toLocaleString('en')} characters)`);
  }
  if (cut.length === 0) return [];
  const named = cut.slice(0, NAMED_TEXTS).join(', ') + (cut.length > NAMED_TEXTS ? ` and ${cut.length - NAMED_TEXTS} more` : '');
  return [
    {
      code: LOCAL_READ_PART,
      message: `The local tier's language model read only the start of ${named}: its work per text is bounded. ${rest}`,
    },
  ];
}

/** The field a request's i-th text came from: `text` alone, `text[i]` in a batch. */
export const textField = (name: string, index: number, count: number) => (count === 1 ? name : `${name}[${index}]`);
