import { localEmbedder } from '../providers/local/semantic';
import type { TaskWarning } from './types';
import { namedList } from '../lib/named-list';

// Issue 14: the local word vectors know 30,000 English words. A text with none of them (Chinese,
// emoji only, "a", digits) embeds as the zero vector — no direction at all. Its cosine with
// anything, itself included, is 0: not a measured "unrelated", just nothing to compare, and a
// client that normalises the vector divides by zero. The answer stays what it is (a zero vector is
// the honest embedding of "nothing known"); the envelope names the texts in a `no_known_words`
// warning, so a 0 is never read as a confident score.

export const NO_KNOWN_WORDS = 'no_known_words';

/** A `no_known_words` warning naming `fields` (the request fields whose text had no known word), or none. */
export function noKnownWordsWarning(fields: string[], consequence: string): TaskWarning[] {
  if (fields.length === 0) return [];
  const named = namedList(fields);
  return [
    {
      code: NO_KNOWN_WORDS,
      message:
        `The local tier's English word vectors know no word of ${named} (another language or script, emoji, digits or too short): ` +
        `${fields.length === 1 ? 'it embeds' : 'they embed'} as the zero vector. ${consequence} Workers AI and Hugging Face embed any text.`,
    },
  ];
}

/** The fields of `texts` in which the local embedder (the one every local task reads) finds no known word. */
export async function fieldsWithoutKnownWords(env: { ASSETS?: Fetcher }, texts: { field: string; text: string }[]): Promise<string[]> {
  const embedder = await localEmbedder(env);
  return texts.filter(({ text }) => !embedder.hasKnownWord(text)).map(({ field }) => field);
}

/** Whether a vector is all zeros (the local embedding of a text with no known word). */
export const isZeroVector = (vector: ArrayLike<number>) => Array.prototype.every.call(vector, (value: number) => value === 0);
