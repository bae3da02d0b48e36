import { estimateTokens } from '../../providers/pricing';
import { asTextList } from '../text-input';
import type { PublicTaskDefinition } from '../types';
import { languageModels } from './models';
import { localLanguage } from './providers';
import { type LanguageRequest, languageRequestSchema, languageResponseSchema, type LanguageResult, MAX_ALTERNATIVES, MAX_LANGUAGE_TEXT_CHARS, UNDETERMINED } from './schema';
import { SCORE_TEMPERATURE, UNRELIABLE_FACTOR } from './detect';

export const languageTask: PublicTaskDefinition<LanguageRequest, string, LanguageResult> = {
  name: 'language',
  cacheTtlSeconds: 30 * 24 * 60 * 60,
  items: (input) => asTextList(input.text),
  canonicalItem: (text) => text.normalize('NFC'),
  options: () => ({}),
  units: estimateTokens,
  providers: [localLanguage],
  models: languageModels,
  api: {
    summary: 'Language of one text or a batch',
    description:
      `The language of each text (≤${MAX_LANGUAGE_TEXT_CHARS} characters) as an ISO 639-1 code with a 0–1 score and up to ${MAX_ALTERNATIVES} alternatives. ` +
      `Runs on the local tier only (eld, 60 languages, free). Text with no detectable language (digits, emoji, punctuation) answers ` +
      `"${UNDETERMINED}" with score 0 — not an error. Scores are a softmax over eld's n-gram scores (temperature ${SCORE_TEMPERATURE}), ` +
      `multiplied by ${UNRELIABLE_FACTOR} when eld calls the evidence unreliable (very short texts). Indonesian is reported as Malay (ms).`,
    request: languageRequestSchema,
    response: languageResponseSchema,
    primaryField: 'text',
    sample: { text: 'sample' },
  },
};