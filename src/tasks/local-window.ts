import { mostUnitsOf, shareUnits, windowUnits, winkWindow } from '../providers/local/bounds';
import type { TaskWarning } from './types';
import { namedList } from '../lib/named-list';

// What the local tier's language model (wink) did not read, said in the envelope instead of
// dropped silently. Each task reads at most a fixed number of work units of a text
// (providers/local/bounds.ts, docs/security.md#bounded-work): all of an ordinary text of the
// longest legal size where the task promises to read everything (entities, moderation, answer),
// the start of a long one where a neural model would read only its start too (sentiment, rerank,
// summarize). A text made of tokens wink splits the slow way is read for fewer characters.
//
// And each request reads at most a fixed number of work units in all (the task's request budget,
// measured to keep the model's work on any legal request within the CPU bound): when its texts'
// windows together cost more, they share the budget (`shareUnits`: short texts whole, the others
// an equal part of what is left). The share is one of the task's options, computed from the whole
// request, so it is part of every item's cache key: a text read in part in a full batch is never
// served from the cache to a request that reads it whole, and a cached answer's warning is the
// same as the one that filled the cache.

/** The options entry of a task whose local tier shares a request budget; absent when every window fits. */
export interface LocalReadShare {
  /** The most work units the local tier reads of each text of this request. */
  local_read_units?: number;
}

/**
 * The share of a request budget of `budget` work units among `texts`, which the task reads for
 * `cost(text)` units each: `{}` when they fit together (every ordinary small batch), else
 * `{ local_read_units }`. `bound(text)` is a cheap upper bound of `cost(text)` (never below it):
 * every request computes its options, a cache hit included, and most cannot reach the budget even
 * at their texts' bounds — those are answered without counting a text.
 */
export function shareRequestBudget(texts: string[], budget: number, reading: { cost: (text: string) => number; bound: (text: string) => number }): LocalReadShare {
  if (texts.reduce((sum, text) => sum + reading.bound(text), 0) <= budget) return {};
  const local_read_units = shareUnits(texts.map(reading.cost), budget);
  return local_read_units === undefined ? {} : { local_read_units };
}

/** The share of a request budget among texts each read through a window of `window` work units (sentiment, entities, rerank, summarize). */
export const shareWindowBudget = (texts: string[], window: number, budget: number): LocalReadShare =>
  shareRequestBudget(texts, budget, { cost: (text) => windowUnits(text, window), bound: (text) => Math.min(window, mostUnitsOf(text)) });

/** The work units read of each text: its window, or the request's share when that is smaller. */
export const unitsRead = (window: number, share: LocalReadShare): number => Math.min(window, share.local_read_units ?? window);

/**
 * One text of a request, where the caller put it, and the work units the task's window holds —
 * or, for a task that reads a text otherwise (moderation's e-mail search), the characters it read.
 */
export type WindowedText = { field: string; text: string } & ({ units: number } | { read: number });

export const LOCAL_READ_PART = 'local_tier_read_part';

/**
 * A `local_tier_read_part` warning naming each text the window does not read whole and how much
 * of it was read, or none. `rest` says what the task does with the part not read. Deterministic in
 * the texts alone, so a cached answer carries the same warning as the one that filled the cache.
 */
export function localWindowWarnings(texts: WindowedText[], rest: string, share: LocalReadShare = {}): TaskWarning[] {
  const cut: string[] = [];
  for (const windowed of texts) {
    const { field, text } = windowed;
    const read = 'read' in windowed ? windowed.read : winkWindow(text, unitsRead(windowed.units, share)).length;
    if (read < text.length) cut.push(`${field} (${read.toLocaleString('en')} of ${text.length.toLocaleString('en')} characters)`);
  }
  if (cut.length === 0) return [];
  const named = namedList(cut);
  return [
    {
      code: LOCAL_READ_PART,
      message:
        `The local tier's language model read only the start of ${named}: its work per text is bounded` +
        (share.local_read_units === undefined
          ? '. '
          : `, and per request: this request's ${texts.length} texts shared its budget, at most ${share.local_read_units.toLocaleString('en')} work units each. `) +
        rest,
    },
  ];
}

/** The field a request's i-th text came from: `text` alone, `text[i]` in a batch. */
export const textField = (name: string, index: number, count: number) => (count === 1 ? name : `${name}[${index}]`);
