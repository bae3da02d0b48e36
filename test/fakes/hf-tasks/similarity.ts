import { cosine, standInVector } from '../ai-models/embed.mjs';
import { invalid, ok, teiBatchTooLarge, type HfTaskHandler } from './types';

/** sentence-similarity (UPSTREAMS.md §2.2): `{inputs: {source_sentence, sentences}}` → `number[]`; at most 31 sentences (TEI's cap of 32 with the source). */
export const similarity: HfTaskHandler = {
  task: 'similarity',
  models: ['sentence-transformers/all-MiniLM-L6-v2', 'BAAI/bge-m3'],
  handle({ inputs }) {
    const { source_sentence: source, sentences } = (inputs ?? {}) as { source_sentence?: unknown; sentences?: unknown };
    if (typeof source !== 'string' || !Array.isArray(sentences) || sentences.some((s) => typeof s !== 'string')) {
      return invalid('inputs must be {source_sentence: string, sentences: string[]}');
    }
    // TEI embeds the source with the sentences, so the source counts against its 32 [I: from
    // TEI's /similarity building one batch of source + sentences].
    const tooLarge = teiBatchTooLarge(sentences.length + 1);
    if (tooLarge) return tooLarge;
    const anchor = standInVector(source, 384);
    return ok(sentences.map((sentence: string) => Math.round(cosine(anchor, standInVector(sentence, 384)) * 1e4) / 1e4));
  },
};
