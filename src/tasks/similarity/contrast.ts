// Local similarity's contrast detector (issue 14). Word vectors score "my card was accepted" closer
// to "my card was declined" than "the payment did not go through": the texts share almost every
// word. This finds a target that says the same words as the source with the meaning turned — a
// WordNet antonym swapped in, a negation on one side only, a sentiment word on one side only, other
// numbers — and lowers its score. It only looks at pairs that share most of their content words, so
// a paraphrase in other words never reaches the cues. Choices and measurements (dev split only):
// docs/local-tier.md#similarity-a-contrast-detector.
import { windowText } from '../../providers/local/bounds';
import type { LocalEmbedder } from '../../providers/local/semantic';
import { wordTokens } from '../../providers/local/semantic/tokenize';
import { stemOf, winkPipeline } from '../../providers/local/wink';
import { roundScore } from '../../lib/vectors';
import { ANTONYM_LINES } from './antonyms';

/**
 * A detected contrast's score s (−1…1) becomes −1 + CONTRAST_FACTOR × (s + 1): shrunk toward −1, so
 * it stays in range, keeps its order among contrasts, and at 0.5 never exceeds 0. Dev: 0.1 and 0.5 gave
 * the same ranking, 0.6 lost one case, 0.7 eleven; 0.5 is the mildest that works.
 */
export const CONTRAST_FACTOR = 0.5;
/**
 * The gate: at least half of the longer text's content words are shared. Without it dev gained 3
 * contrasts, but the detector fired on 6 of the ordinary set's 32 paraphrases (1 with it) and lost one of its cases.
 */
const MIN_SHARED_CONTENT = 0.5;
/** …and at most this many content words differ on each side ("same words, a few swapped"). */
const MAX_CHANGED_CONTENT = 3;
/**
 * …and at most this many words of any kind: bounds the cue loops (pairs of changed words, each
 * looked up once in wink) for long texts of function words. No dev pair comes near it.
 */
const MAX_CHANGED_WORDS = 8;
/**
 * Words ranked above this in the vectors' frequency order ("the", "is", "up", "before", "my") are
 * function words: they do not count toward the gate, but the cues still read them. Dev: 100 and
 * 200 alike (100 fired on one more ordinary paraphrase and lost an ordinary case), 400 one fewer.
 */
const FUNCTION_WORD_RANK = 200;
/** A changed word whose wink sentiment differs from a changed word on the other side by this much (wink's −1…1 scale; dev: 0.3 and 0.4 alike, 0.5 lost four cases, no sentiment cue ten). */
const POLARITY_SHIFT = 0.4;
/** Longer tokens are never in wink's lexicon; they are not sent to it (its tokenizer is slow on long runs). */
const MAX_POLARITY_WORD = 30;

/**
 * Words that turn a statement: negators, cessation and continuation ("stopped crashing", "still
 * works"). "no longer" counts once. A side holds a turn when it has an odd number of them.
 */
const TURNS = new Set(['not', 'no', 'never', 'nobody', 'nothing', 'none', 'neither', 'nor', 'without', 'cannot', 'stopped', 'still']);
/** Auxiliaries ranked past FUNCTION_WORD_RANK ("am" is 839th) are still not content. */
const AUXILIARIES = new Set(['am', 'is', 'are', 'was', 'were', 'be', 'been', 'do', 'does', 'did', 'has', 'have', 'had']);
const NUMBER_WORDS: Readonly<Record<string, number>> = {
  once: 1, twice: 2, thrice: 3, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
};
/**
 * Closed-class opposites WordNet does not hold (it has no prepositions or quantifiers as
 * antonyms); WordNet does have up/down, on/off, more/less, first/last.
 */
const CLOSED_CLASS_OPPOSITES: ReadonlyArray<readonly [string, string]> = [
  ['before', 'after'], ['in', 'out'], ['over', 'under'], ['above', 'below'], ['inside', 'outside'], ['always', 'never'],
  ['everyone', 'nobody'], ['everything', 'nothing'], ['all', 'none'], ['most', 'least'], ['yes', 'no'], ['plus', 'minus'], ['with', 'without'],
];

let antonyms: Map<string, Set<string>> | undefined;
/** The WordNet table (antonyms.ts, scripts/build-antonyms.mjs) plus the closed-class list, both directions; built on first use. */
function antonymTable(): Map<string, Set<string>> {
  if (antonyms) return antonyms;
  const table = new Map<string, Set<string>>();
  const add = (x: string, y: string) => {
    let set = table.get(x);
    if (!set) table.set(x, (set = new Set()));
    set.add(y);
  };
  const pairs = ANTONYM_LINES.split('\n').flatMap((line) => {
    const [word, ...others] = line.split(' ');
    return others.map((other) => [word!, other] as const);
  });
  for (const [x, y] of [...pairs, ...CLOSED_CLASS_OPPOSITES]) {
    add(x, y);
    add(y, x);
  }
  return (antonyms = table);
}

/** WordNet's detachment rules (morphy, without its exception lists): the base forms a word may have. */
const DETACHMENTS: ReadonlyArray<readonly [string, string]> = [
  ['ies', 'y'], ['ied', 'y'], ['es', 'e'], ['es', ''], ['s', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', ''], ['er', ''], ['est', ''], ['er', 'e'], ['est', 'e'],
];
function baseForms(word: string): string[] {
  const forms = [word];
  for (const [suffix, replacement] of DETACHMENTS) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 2) forms.push(word.slice(0, -suffix.length) + replacement);
  }
  // A doubled final consonant: "stopped" → "stop", "bigger" → "big".
  const doubled = /(.)\1(?:ed|ing|er|est)$/.exec(word);
  if (doubled) forms.push(word.slice(0, doubled.index + 1));
  return forms;
}

function areAntonyms(x: string, y: string): boolean {
  const table = antonymTable();
  const ys = baseForms(y);
  return baseForms(x).some((form) => ys.some((other) => table.get(form)?.has(other) ?? false));
}

const polarities = new Map<string, number>();
const MAX_MEMO_POLARITIES = 20_000;
/** wink's lexicon sentiment of one word (−1…1, 0 when it has none), memoised. */
function polarity(word: string): number {
  if (word.length > MAX_POLARITY_WORD) return 0;
  let value = polarities.get(word);
  if (value === undefined) {
    if (polarities.size >= MAX_MEMO_POLARITIES) polarities.clear();
    const wink = winkPipeline('sentiment');
    value = Number(wink.readDoc(word).out(wink.its.sentiment)) || 0;
    polarities.set(word, value);
  }
  return value;
}

interface Reading {
  /** Porter stem → the word as written (first occurrence): stems align "drains" with "drain". */
  readonly words: Map<string, string>;
  readonly turns: number;
  readonly numbers: string;
}

/**
 * The longest text the detector reads, in pieces (~100 words). "The same words with a few
 * swapped" is a property of sentences and short passages — every hard-set and ordinary pair is far
 * shorter — and reading every target of a 100 × 8,192-character request to stem it doubled the
 * request's CPU (bench:cpu similarity: 25 → 54 ms): a longer text is scored as the vectors say.
 */
const MAX_CONTRAST_PIECES = 128;

function readText(text: string): Reading | undefined {
  const window = windowText(text, MAX_CONTRAST_PIECES);
  if (window.length < text.length) return undefined;
  const tokens = wordTokens(window);
  const words = new Map<string, string>();
  let turns = 0;
  for (const [index, token] of tokens.entries()) {
    const stem = stemOf(token);
    if (!words.has(stem)) words.set(stem, token);
    if (TURNS.has(token) && !(token === 'no' && tokens[index + 1] === 'longer')) turns++;
    if (token === 'longer' && tokens[index - 1] === 'no') turns++;
  }
  const numbers = [...tokens.filter((token) => Object.hasOwn(NUMBER_WORDS, token)).map((token) => String(NUMBER_WORDS[token])), ...(window.match(/\d+(?:[.,]\d+)?/g) ?? [])];
  return { words, turns, numbers: numbers.sort().join(' ') };
}

/**
 * Why `target` reads as a contrast of `source` (e.g. "antonym: accepted / declined"), or undefined
 * when it does not. `vocabulary` gives the frequency ranks that tell function words from content.
 */
export function contrastCue(source: string, target: string, vocabulary: Pick<LocalEmbedder, 'frequencyRank'>): string | undefined {
  const a = readText(source);
  const b = a && readText(target);
  return a && b ? cueBetween(a, b, vocabulary) : undefined;
}

function cueBetween(a: Reading, b: Reading, vocabulary: Pick<LocalEmbedder, 'frequencyRank'>): string | undefined {
  const isContent = (word: string) =>
    word.length > 1 && !TURNS.has(word) && !AUXILIARIES.has(word) && !Object.hasOwn(NUMBER_WORDS, word) && (vocabulary.frequencyRank(word) ?? Infinity) >= FUNCTION_WORD_RANK;
  const onlyA = [...a.words].filter(([stem]) => !b.words.has(stem)).map(([, word]) => word);
  const onlyB = [...b.words].filter(([stem]) => !a.words.has(stem)).map(([, word]) => word);
  const shared = [...a.words].filter(([stem, word]) => b.words.has(stem) && isContent(word)).length;
  const contentA = [...a.words.values()].filter(isContent).length;
  const contentB = [...b.words.values()].filter(isContent).length;
  if (shared === 0 || shared < MIN_SHARED_CONTENT * Math.max(contentA, contentB)) return undefined;
  if (onlyA.length > MAX_CHANGED_WORDS || onlyB.length > MAX_CHANGED_WORDS) return undefined;
  if (onlyA.filter(isContent).length > MAX_CHANGED_CONTENT || onlyB.filter(isContent).length > MAX_CHANGED_CONTENT) return undefined;

  const turned = a.turns % 2 !== b.turns % 2;
  const antonym = onlyA.flatMap((x) => onlyB.filter((y) => areAntonyms(x, y)).map((y) => `${x} / ${y}`))[0];
  // Two oppositions cancel: "was not clean" says "was dirty".
  if (turned && antonym) return undefined;
  if (turned) return 'negation on one side';
  if (antonym) return `antonym: ${antonym}`;
  for (const x of onlyA) for (const y of onlyB) if (Math.abs(polarity(x) - polarity(y)) >= POLARITY_SHIFT) return `sentiment: ${x} / ${y}`;
  if (a.numbers && b.numbers && a.numbers !== b.numbers) return 'other numbers';
  return undefined;
}

/** A contrast's score, lowered: −1 + CONTRAST_FACTOR × (score + 1), rounded for the wire like every score. */
export const lowerForContrast = (score: number) => roundScore(-1 + CONTRAST_FACTOR * (score + 1));

/** The source's scores against its targets, each target that reads as a contrast lowered. */
export function lowerContrasts(source: string, targets: readonly string[], scores: readonly number[], vocabulary: Pick<LocalEmbedder, 'frequencyRank'>): number[] {
  const read = readText(source);
  if (!read) return [...scores];
  return scores.map((score, index) => {
    const target = readText(targets[index]!);
    return target && cueBetween(read, target, vocabulary) !== undefined ? lowerForContrast(score) : score;
  });
}
