import winkNLP, { type Document, type WinkMethods } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { MAX_RUN, splitLongRuns, winkWindow, workUnits } from './bounds';

// The embedded English pipeline (wink-nlp + its lite web model), and the bounds on what reaches it.
//
// wink-nlp's tokenizer costs quadratic to cubic time in the length of a run of characters with no
// space in it: a 2,000-character run of `http://` took 21 s for a 100-text batch, a run of `#`
// crashed the Worker. Every local-tier task therefore reads text through `readBounded`, which
//  1. windows the text to at most `maxUnits` work units (pieces — words, numbers, single marks,
//     an upper bound on wink's tokens — each counted at what wink spends on it: one for a piece
//     of a token it takes whole, 3 + 2 a piece for a token it splits the slow way, such as "$1";
//     see bounds.ts), cutting at the start of a piece so every offset before the cut is unchanged;
//  2. splits every run longer than MAX_RUN code points with an inserted space, which keeps every
//     token wink produces a verbatim substring of the original text, in order (so offsets found
//     by walking tokens with `indexOf` stay exact) and bounds the tokenizer's work per run.
// Ordinary text has no 64-character runs except long URLs and hashes; the task code that reports
// URLs finds them with its own linear patterns on the original text.
// Measured figures and the commands that measure them: docs/security.md#bounded-work.

let forSentiment: WinkMethods | undefined;
let forEntities: WinkMethods | undefined;

/**
 * What a task reads from wink: sentence sentiment (sentences, negation, sentiment), entities
 * (sentences, entities), or only tokens — their types, stop-word flags and stems, which no
 * annotation changes (served by the sentiment pipeline, the cheaper of the two).
 */
export type WinkReader = 'sentiment' | 'entities' | 'tokens';

/**
 * Loaded once per isolate on first use (~0.1 s and ~10 MB each). Part-of-speech tagging is left
 * out of both: no task reads it, and it was about half of the full pipeline's time. Each pipeline
 * runs only the annotations its readers need; the ones they read come out as the full pipeline's.
 */
export function winkPipeline(reader: WinkReader): WinkMethods {
  if (reader === 'entities') return (forEntities ??= winkNLP(model, ['sbd', 'ner']));
  return (forSentiment ??= winkNLP(model, ['sbd', 'negation', 'sentiment']));
}

/** The model's Porter stemmer: what `its.stem` applies to a token's value. */
const porterStem = (model.addons as { stem: (word: string) => string }).stem;
const stems = new Map<string, string>();
/** Bounds the memo (a few MB at most); it is emptied when full. */
const MAX_MEMO_STEMS = 20_000;

/**
 * `its.stem` of a token with this value, memoised: stemming was a third of a long text's cost, and
 * text repeats its words. Call it only for tokens that need a stem (not for stop words or marks).
 */
export function stemOf(value: string): string {
  let stem = stems.get(value);
  if (stem === undefined) {
    if (stems.size >= MAX_MEMO_STEMS) stems.clear();
    stem = porterStem(value);
    stems.set(value, stem);
  }
  return stem;
}

/**
 * wink's document for the first `maxUnits` work units of `text` (`winkWindow`), long runs split.
 * Its tokens are verbatim substrings of `text` in order (see the top of this file).
 */
export function readBounded(text: string, maxUnits: number, reader: WinkReader): Document {
  return winkPipeline(reader).readDoc(splitLongRuns(winkWindow(text, maxUnits)));
}

/**
 * A raw token as wink's tokenizer splits text (its model's `trex.helpers.splitter`; narrower than
 * bounds.ts's BREAK, which also splits the runs wink would see as one) that holds an `@`. Anchored
 * at the start of a token, so each is read at most twice.
 */
const WINK_SPLIT = ' \\u00a0\\u2002-\\u2005\\u2009\\u200a\\u202f\\u205f\\n\\r\\t';
const TOKEN_WITH_AT = new RegExp(`(?<![^${WINK_SPLIT}])[^${WINK_SPLIT}]*@[^${WINK_SPLIT}]*`, 'g');

/** The raw tokens holding an `@` that wink reads of a text, as far as they fit a number of work units. */
export interface TokensWithAt {
  tokens: string[];
  /** Their work units. */
  units: number;
  /** How far into the text they reach: the window's end, or where the first token that did not fit starts. */
  read: number;
}

/**
 * The raw tokens holding an `@` that `readBounded(text, maxUnits, …)` would give wink (a long run
 * split as it splits it, so a slice without the `@` is left out), in order, as many as fit
 * `maxAtUnits` work units. An e-mail address can only be among them, and wink types each raw token
 * on its own (tokenizer.js: the text is split on spaces, then each piece is read alone), so
 * `typesOfTokens` of these gives them the types reading the whole window gives them.
 */
export function tokensWithAt(text: string, maxUnits: number, maxAtUnits = Infinity): TokensWithAt {
  // A request reads them up to four times (its budget's share, twice; the reading; the warning).
  const known = withAt.get(text);
  if (known?.maxUnits === maxUnits && known.maxAtUnits === maxAtUnits) return known.taken;
  const taken = findTokensWithAt(text, maxUnits, maxAtUnits);
  if (withAt.size >= MAX_MEMO_TEXTS) withAt.clear();
  withAt.set(text, { maxUnits, maxAtUnits, taken });
  return taken;
}

const withAt = new Map<string, { maxUnits: number; maxAtUnits: number; taken: TokensWithAt }>();
/** Bounds the memo to what a few full requests hold (texts are kept by reference). */
const MAX_MEMO_TEXTS = 256;

function findTokensWithAt(text: string, maxUnits: number, maxAtUnits: number): TokensWithAt {
  const window = winkWindow(text, maxUnits);
  const taken: TokensWithAt = { tokens: [], units: 0, read: window.length };
  if (!window.includes('@')) return taken;
  for (const match of window.matchAll(TOKEN_WITH_AT)) {
    // A long run is split into slices (splitLongRuns inserts spaces, which wink splits on); a token
    // of at most MAX_RUN UTF-16 units has no run that long.
    let start = match.index;
    for (const slice of match[0].length > MAX_RUN ? splitLongRuns(match[0]).split(' ') : [match[0]]) {
      if (slice.includes('@')) {
        const units = workUnits(slice);
        if (taken.units + units > maxAtUnits) return { ...taken, read: start };
        taken.tokens.push(slice);
        taken.units += units;
      }
      start += slice.length;
    }
  }
  return taken;
}

/** The types wink gives these raw tokens (its `its.type`: word, number, email …), read as one text. */
export function typesOfTokens(tokens: string[]): string[] {
  if (tokens.length === 0) return [];
  const pipeline = winkPipeline('tokens');
  return pipeline.readDoc(tokens.join(' ')).tokens().out(pipeline.its.type) as string[];
}

/** Whether `readBounded(text, maxUnits, …)` reads all of `text`. */
export function readsWhole(text: string, maxUnits: number): boolean {
  return winkWindow(text, maxUnits).length === text.length;
}
