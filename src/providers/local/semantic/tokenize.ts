// Turns text into vocabulary rows. The vocabulary (see scripts/build-word-vectors.mjs) holds only
// [a-z]+ words: wink's copy of GloVe has no apostrophe forms ("don't", "n't", "'s") and no
// one-letter words ("a", "i"), so tokens are shaped to match it.

/** Contractions whose stem changes, expanded before the regular clitic rules. */
const IRREGULAR: Readonly<Record<string, readonly string[]>> = {
  "can't": ['can', 'not'],
  "won't": ['will', 'not'],
  "shan't": ['shall', 'not'],
  "ain't": ['not'],
};

/** Regular clitics: "didn't" → did + not, "we're" → we + are. 's (possessive or "is") adds nothing. */
const CLITICS: ReadonlyArray<readonly [string, string | undefined]> = [
  ["n't", 'not'], ["'re", 'are'], ["'ve", 'have'], ["'ll", 'will'], ["'d", 'would'], ["'m", 'am'], ["'s", undefined],
];

/** Inflections tried, in order, for a word that is not in the vocabulary ("naps" → "nap"). */
const SUFFIXES: ReadonlyArray<readonly [string, string]> = [
  ['ies', 'y'], ['es', ''], ['s', ''], ['ed', ''], ['ed', 'e'], ['ing', ''], ['ing', 'e'], ['ly', ''],
];
const MIN_STEM = 3; // shorter stems match unrelated words ("bed" → "b" is not a word anyway)

/**
 * Lowercase word tokens: diacritics folded (NFKD, marks dropped: "café" → "cafe"), curly
 * apostrophes straightened, split on anything that is not a letter or an inner apostrophe, and
 * contractions expanded. Non-Latin scripts yield no tokens.
 */
export function wordTokens(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[\u2018\u2019\u02bc]/g, "'");
  const tokens: string[] = [];
  for (const match of folded.matchAll(/[a-z]+(?:'[a-z]+)*/g)) {
    let word = match[0];
    // Own keys only: "constructor" or "__proto__" in a text must not find Object.prototype's members.
    const irregular = Object.hasOwn(IRREGULAR, word) ? IRREGULAR[word] : undefined;
    if (irregular) {
      tokens.push(...irregular);
      continue;
    }
    let expansion: string | undefined;
    for (const [clitic, expanded] of CLITICS) {
      if (word.endsWith(clitic) && word.length > clitic.length) {
        word = word.slice(0, -clitic.length);
        expansion = expanded;
        break;
      }
    }
    // Any apostrophe left ("o'clock", "rock'n'roll") separates plain words.
    for (const part of word.split("'")) if (part) tokens.push(part);
    if (expansion) tokens.push(expansion);
  }
  return tokens;
}

export interface KnownWord {
  /** The vocabulary word used (after contraction expansion and inflection fallback). */
  readonly word: string;
  readonly row: number;
}

/**
 * The tokens of `text` that map to a vocabulary row, in order. Out-of-vocabulary tokens are
 * dropped (they carry no vector), after trying to strip a common inflection.
 */
export function knownWords(text: string, index: ReadonlyMap<string, number>): KnownWord[] {
  const known: KnownWord[] = [];
  for (const token of wordTokens(text)) {
    const word = resolve(token, index);
    if (word !== undefined) known.push({ word, row: index.get(word) ?? 0 });
  }
  return known;
}

/** Characters `startHasKnownWord` reads: a few dozen words, where an English text has a known one. */
const FIRST_LOOK = 200;

/**
 * Whether the first ~200 characters of `text`, cut at a space, hold a token `knownWords` would
 * keep. No token spans a space, so a word known there is known in the whole text, and in its
 * embedding window (512 pieces, never fewer than 400 characters): a cheap first look before
 * tokenizing a whole text. False means only "not in the first look".
 */
export function startHasKnownWord(text: string, index: ReadonlyMap<string, number>): boolean {
  const cut = text.indexOf(' ', FIRST_LOOK);
  // A cut far past the first look (a long run without spaces) could reach past the embedder's window.
  if (cut < 0 || cut > 2 * FIRST_LOOK) return false;
  return wordTokens(text.slice(0, cut)).some((token) => resolve(token, index) !== undefined);
}

function resolve(token: string, index: ReadonlyMap<string, number>): string | undefined {
  if (index.has(token)) return token;
  for (const [suffix, replacement] of SUFFIXES) {
    if (!token.endsWith(suffix) || token.length - suffix.length < MIN_STEM) continue;
    const stem = token.slice(0, -suffix.length) + replacement;
    if (index.has(stem)) return stem;
  }
  return undefined;
}
