import { ApiError } from '../../contracts/errors';
import type { ProviderCall } from '../../providers/types';
import { localLanguage } from '../language/providers';
import { UNDETERMINED } from '../language/schema';
import { ASSUMED_SOURCE, TRANSLATION_LANGUAGES, type TranslationLanguage } from './languages';
import type { TranslateOptions } from './schema';

const isTranslationLanguage = (code: string): code is TranslationLanguage => (TRANSLATION_LANGUAGES as readonly string[]).includes(code);

/**
 * The source language of each text: the request's `source` when given, else detected by the
 * language task's own detector (eld, inside the Worker, no upstream call). A text with no
 * detectable language ("OK", "#4411") is taken as ASSUMED_SOURCE; a text confidently in a
 * language minnow does not translate is refused, naming it, rather than mistranslated.
 */
export async function sourceLanguages(call: ProviderCall<string, TranslateOptions>): Promise<TranslationLanguage[]> {
  const given = call.options.source;
  if (given) return call.items.map(() => given);
  const detections = await localLanguage.run({ ...call, task: 'language', options: {}, model: localLanguage.model });
  return detections.map(({ language }, index) => {
    if (language === UNDETERMINED) return ASSUMED_SOURCE;
    if (isTranslationLanguage(language)) return language;
    const param = call.items.length > 1 ? `text.${index}` : 'text';
    throw new ApiError(
      400,
      'unsupported_source_language',
      `${param} looks like "${language}", which minnow does not translate (it translates ${TRANSLATION_LANGUAGES.join(', ')}); pass "source" if the text is in one of those`,
      { param },
    );
  });
}
