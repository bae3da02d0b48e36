import { eldDetector } from '../providers/local/eld';
import { fromDetection } from './language/detect';
import { UNDETERMINED } from './language/schema';
import { textField } from './local-window';
import type { TaskWarning } from './types';
import { namedList } from '../lib/named-list';

// Issue 14: the local tier's language models (wink's sentiment lexicon, the abuse word lists, the
// English word vectors behind classify and answer, the sentence scorer of summarize, the word-based
// entity rules) know English only. Asked about French or German they do not fail: they answer
// "neutral", "not flagged", with the confidence an English text would get — a confident wrong
// answer, worse than none. So each local answer first asks the language detector the language task
// uses (eld) whether its text is clearly another language; if so the answer's score is capped below
// every cascade threshold (a cascade sends it on to a multilingual upstream model) and the envelope
// says so in a `local_tier_english_only` warning.
//
// "Clearly" is chosen so English is never flagged (measured on the 1,867 English texts of
// eval/tasks and eval/tasks-hard, test/local-english-only.test.ts: 0 of them; 25 of 25 non-English
// sentences of the language set are): eld must call its detection reliable, English must hold
// almost none of the softmax the language task reports, and either one language must win it by a
// wide margin (≥ OTHER_LANGUAGE_MIN_SCORE: "iPhone 15 Pro Max" reads as French and German alike and
// is not flagged) or the text must be long enough that a tie within one script (ru/uk/bg) still
// says "not English". Short greetings in another language ("Gracias") are not flagged: eld itself
// calls them unreliable.

/** Characters of a text the detector reads: its start decides, and the work per text stays bounded. */
export const ENGLISH_CHECK_CHARS = 300;
/** The least share a non-English language must hold in the language task's softmax (tasks/language/detect.ts). */
export const OTHER_LANGUAGE_MIN_SCORE = 0.9;
/** Fewer letters than this say too little to call a text another language. */
export const MIN_LETTERS = 6;
/** English may hold at most this share of the softmax of a text called another language. */
export const MAX_ENGLISH_SHARE = 0.01;
/**
 * English's raw eld score at or above this share of the top one means the text may well be English.
 * The clear non-English sentences of the language set reach at most 0.71 ("Gostaria de cancelar a
 * minha assinatura…"); "Happy birthday!!! 🎉🎂 #30th" (eval/tasks-hard/entities.mjs) 0.83.
 */
export const ENGLISH_CLOSE_BEHIND = 0.8;
/** With this many letters a text whose top languages tie (one script: ru/uk/bg) is still not English. */
export const MIN_LETTERS_TIED = 30;
/**
 * The most a local score may be for a text in another language: below every default cascade
 * threshold (answer 0.5, classify 0.6, sentiment and moderate 0.8) and below any a tenant would
 * sensibly choose, so a cascade escalates it.
 */
export const ENGLISH_ONLY_SCORE_CAP = 0.2;
export const LOCAL_ENGLISH_ONLY = 'local_tier_english_only';

/** Letters and the marks that complete them (Devanagari vowel signs are marks). */
const LETTERS = /[\p{L}\p{M}]/gu;
/**
 * Addresses, handles and paths (paypal.me/janedoe, @devteam): no language's words, they only
 * mislead the detector. Tested per whitespace-separated token: one regex over the text
 * (`\S+[./@]\S+`) backtracks quadratically through a text without spaces (Chinese: 200 µs).
 */
const isNotWord = (token: string) => /[./@]\S/.test(token) || token.startsWith('#') || token.startsWith('@');
const wordsOf = (text: string) =>
  text
    .split(/\s+/)
    .filter((token) => !isNotWord(token))
    .join(' ');

/** The start of a text, cut on a code point boundary. */
function prefix(text: string): string {
  if (text.length <= ENGLISH_CHECK_CHARS) return text;
  const end = /[\uD800-\uDBFF]/.test(text[ENGLISH_CHECK_CHARS - 1]!) ? ENGLISH_CHECK_CHARS - 1 : ENGLISH_CHECK_CHARS;
  return text.slice(0, end);
}

/**
 * Detections of the prefixes read lately: a fresh local answer checks its texts once in the provider
 * (the score cap) and once more for the envelope's warning, and a cache hit on a local answer once
 * more for its warning. As many as the isolate's answer cache holds (storage/response-cache.ts,
 * 5,000), so a hit finds its text here instead of paying the detector (40–100 µs a text) on the
 * hot path; prefixes are at most ENGLISH_CHECK_CHARS, so this stays within ~3 MB.
 */
const recent = new Map<string, string | undefined>();
const RECENT_MAX = 5_000;

/** The language (ISO 639-1) a text is clearly written in when that is not English, else undefined. */
export async function otherLanguageOf(text: string): Promise<string | undefined> {
  const start = prefix(text);
  if (recent.has(start)) return recent.get(start);
  const words = wordsOf(start);
  const letters = words.match(LETTERS)?.length ?? 0;
  const language = letters < MIN_LETTERS ? undefined : detect(await eldDetector(), words, letters);
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value!);
  recent.set(start, language);
  return language;
}

function detect(eld: Awaited<ReturnType<typeof eldDetector>>, text: string, letters: number): string | undefined {
  const result = eld.detect(text);
  if (!result.isReliable()) return undefined;
  // English close behind the winner in eld's own scores is no clear call, however sharp the softmax
  // below makes it: "Happy birthday" is Tagalog 0.78, English 0.65 (0.83 of it).
  const raw = result.getScores();
  if ((raw.en ?? 0) >= ENGLISH_CLOSE_BEHIND * Math.max(0, ...Object.values(raw))) return undefined;
  const { language, score, alternatives } = fromDetection({ language: result.language, scores: result.getScores(), reliable: true });
  if (language === 'en' || language === UNDETERMINED) return undefined;
  // English's share of the softmax (absent: eld saw no English n-grams at all).
  const english = alternatives.find((entry) => entry.language === 'en')?.score ?? 0;
  if (english >= MAX_ENGLISH_SHARE) return undefined;
  // One language clearly ahead, or a text long enough that languages of one script tying (ru/uk/bg)
  // still says "not English".
  return score >= OTHER_LANGUAGE_MIN_SCORE || letters >= MIN_LETTERS_TIED ? language : undefined;
}

/** A score the local tier states for a text: capped when the text is clearly not English. */
export const capForLanguage = (score: number, otherLanguage: string | undefined): number =>
  otherLanguage === undefined ? score : Math.min(score, ENGLISH_ONLY_SCORE_CAP);

/**
 * Ranked scores (classify's labels) for a text: scaled so the top one is capped when the text is
 * clearly not English — scaled, not cut, so their order and ratios stay as the model gave them.
 */
export function capRankedForLanguage<T extends { score: number }>(ranked: T[], otherLanguage: string | undefined): T[] {
  return otherLanguage === undefined ? ranked : capRanked(ranked, ENGLISH_ONLY_SCORE_CAP);
}

/** Ranked scores scaled so the top one is at most `cap`, their order and ratios kept. */
export function capRanked<T extends { score: number }>(ranked: T[], cap: number): T[] {
  const top = Math.max(0, ...ranked.map((entry) => entry.score));
  if (top <= cap) return ranked;
  const factor = cap / top;
  return ranked.map((entry) => ({ ...entry, score: Math.round(entry.score * factor * 10_000) / 10_000 }));
}

/** A request's texts (`text` or `text[i]`) as the warning names them. */
export const textsOf = (texts: string[]) => texts.map((text, index) => ({ field: textField('text', index, texts.length), text }));

/**
 * One `local_tier_english_only` warning naming each text (its request field) detected as another
 * language and that language, or none. Deterministic in the texts alone, so a cached answer carries
 * the same warning as the one that filled the cache.
 */
export async function englishOnlyWarnings(texts: { field: string; text: string }[], what: string): Promise<TaskWarning[]> {
  const found: string[] = [];
  for (const { field, text } of texts) {
    const language = await otherLanguageOf(text);
    if (language) found.push(`${field} (${language})`);
  }
  if (found.length === 0) return [];
  const named = namedList(found);
  return [
    {
      code: LOCAL_ENGLISH_ONLY,
      message:
        `The local tier's models know English only, and ${named} ${found.length === 1 ? 'is' : 'are'} in another language: ${what} ` +
        'Workers AI and Hugging Face run multilingual models; with the cascade on, these texts go to them.',
    },
  ];
}
