// Workers AI embedding stand-ins (UPSTREAMS.md §1.2): `{ text: string | string[] (≤100) }` →
// `{ shape: [n, dims], data: number[][] }`. bge-small and bge-base are already served by
// ./classify.mjs (classify embeds with them too); this adds bge-m3 with the same deterministic
// bag-of-words vectors, so every embedding stand-in answers on one scale.
import { bagOfWordsVector } from './classify.mjs';

/** Cosine of two stand-in vectors. */
export function cosine(a, b) {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

export const standInVector = bagOfWordsVector;

export const models = {
  '@cf/baai/bge-m3': (inputs) => {
    const text = inputs?.text;
    const texts = typeof text === 'string' ? [text] : text;
    if (!Array.isArray(texts) || texts.length === 0 || texts.some((t) => typeof t !== 'string')) throw new Error('3003: Request is missing headers or body: text');
    if (texts.length > 100) throw new Error('3006: Request is too large');
    return { shape: [texts.length, 1024], data: texts.map((t) => bagOfWordsVector(t, 1024)), pooling: 'mean' };
  },
};
