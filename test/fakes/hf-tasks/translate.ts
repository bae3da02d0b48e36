import { directive } from '../sentiment-lexicon.mjs';
import { invalid, ok, type HfTaskHandler } from './types';

/** The languages minnow documents for translation (src/tasks/translate/languages.ts). */
const LANGUAGES = ['en', 'zh', 'fr', 'es', 'ar', 'ru', 'de', 'ja', 'pt', 'hi'];
/** Every opus-mt pair among the documented languages, as the serverless route names them. */
const PAIR_MODELS = LANGUAGES.flatMap((source) => LANGUAGES.filter((target) => target !== source).map((target) => `Helsinki-NLP/opus-mt-${source}-${target}`));

/**
 * translation: `{inputs, parameters: {src_lang, tgt_lang}}` → `[{translation_text}]`, the text
 * tagged "[<src>→<tgt>] …" so tests can see which pair ran; [[hf:object]] answers a bare object.
 */
export const translate: HfTaskHandler = {
  task: 'translate',
  models: [...PAIR_MODELS, 'facebook/m2m100_418M'],
  handle({ inputs, parameters }) {
    if (typeof inputs !== 'string') return invalid('inputs must be a string');
    const translation = { translation_text: `[${String(parameters?.src_lang ?? '?')}→${String(parameters?.tgt_lang ?? '?')}] ${inputs}` };
    return directive(inputs, 'hf') === 'object' ? ok(translation) : ok([translation]);
  },
};
