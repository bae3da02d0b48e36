import { estimateTokens } from '../../providers/pricing';
import { asTextList } from '../text-input';
import type { PublicTaskDefinition } from '../types';
import { TRANSLATION_TOKENS_PER_INPUT_TOKEN, translateModels } from './models';
import { huggingFaceTranslate, workersAiTranslate } from './providers';
import { MAX_TRANSLATE_CHARS, MAX_TRANSLATE_TEXTS, type TranslateOptions, type TranslateRequest, translateRequestSchema, translateResponseSchema, type TranslateResult } from './schema';
import { ASSUMED_SOURCE, TRANSLATION_LANGUAGES } from './languages';

export const translateTask: PublicTaskDefinition<TranslateRequest, string, TranslateResult, TranslateOptions> = {
  name: 'translate',
  cacheTtlSeconds: 7 * 24 * 60 * 60,
  items: (input) => asTextList(input.text),
  canonicalItem: (text) => text.normalize('NFC'),
  options: (input) => (input.source ? { target: input.target, source: input.source } : { target: input.target }),
  units: (text) => estimateTokens(text) * TRANSLATION_TOKENS_PER_INPUT_TOKEN,
  // No local provider: the Worker cannot translate, so with neither remote provider configured
  // the router answers 503 no_provider_available naming workers-ai and huggingface.
  providers: [workersAiTranslate, huggingFaceTranslate],
  models: translateModels,
  api: {
    summary: 'Translate one text or a batch',
    description:
      `Translates up to ${MAX_TRANSLATE_TEXTS} texts (each ≤ ${MAX_TRANSLATE_CHARS} characters) into \`target\`, between ` +
      `${TRANSLATION_LANGUAGES.join(', ')}. Without \`source\`, each text's language is detected inside the Worker ("${ASSUMED_SOURCE}" when ` +
      'none can be; a text in another language is refused with 400 unsupported_source_language). ' +
      'Runs on Workers AI (m2m100-1.2b) or Hugging Face (opus-mt per language pair); there is no local tier, so with ' +
      'neither configured the answer is 503 no_provider_available.',
    request: translateRequestSchema,
    response: translateResponseSchema,
    primaryField: 'text',
    sample: { text: 'sample' },
  },
};