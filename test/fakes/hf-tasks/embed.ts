import { directive } from '../sentiment-lexicon.mjs';
import { standInVector } from '../ai-models/embed.mjs';
import { invalid, ok, teiBatchTooLarge, type HfTaskHandler } from './types';

/**
 * feature-extraction (UPSTREAMS.md §2.2): `{inputs: string | string[], normalize?, truncate?}` →
 * `number[][]`, one row per text; a single string answers a bare `number[]` row, like serverless.
 * `[[hf:flat]]` in a one-text batch also answers the bare row. Served like TEI serves BAAI/bge:
 * CLS pooling (the models' sentence-transformers `1_Pooling/config.json`), so these vectors are
 * not Workers AI's mean-pooled ones; at most 32 texts per request (TEI's default batch cap).
 */
export const embed: HfTaskHandler = {
  task: 'embed',
  // BAAI/bge-m3's hub task is sentence-similarity: its bare model route is the similarity handler's.
  models: ['BAAI/bge-small-en-v1.5', 'BAAI/bge-base-en-v1.5'],
  handle({ inputs }) {
    if (typeof inputs === 'string') return ok(standInVector(inputs, 384, 'cls'));
    if (!Array.isArray(inputs) || inputs.length === 0 || inputs.some((text) => typeof text !== 'string')) return invalid('inputs must be a string or a list of strings');
    const tooLarge = teiBatchTooLarge(inputs.length);
    if (tooLarge) return tooLarge;
    const rows = (inputs as string[]).map((text) => standInVector(text, 384, 'cls'));
    return inputs.length === 1 && directive(inputs[0], 'hf') === 'flat' ? ok(rows[0]) : ok(rows);
  },
};
