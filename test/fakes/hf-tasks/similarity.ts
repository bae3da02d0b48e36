import { cosine, standInVector } from '../ai-models/embed.mjs';
import { invalid, ok, type HfTaskHandler } from './types';

/** sentence-similarity (UPSTREAMS.md §2.2): `{inputs: {source_sentence, sentences}}` → `number[]`. */
export const similarity: HfTaskHandler = {
  task: 'similarity',
  models: ['sentence-transformers/all-MiniLM-L6-v2', 'BAAI/bge-m3'],
  handle({ inputs }) {
    const { source_sentence: source, sentences } = (inputs ?? {}) as { source_sentence?: unknown; sentences?: unknown };
    if (typeof source !== 'string' || !Array.isArray(sentences) || sentences.some((s) => typeof s !== 'string')) {
      return invalid('inputs must be {source_sentence: string, sentences: string[]}');
    }
    const anchor = standInVector(source, 384);
    return ok(sentences.map((sentence: string) => Math.round(cosine(anchor, standInVector(sentence, 384)) * 1e4) / 1e4));
  },
};
