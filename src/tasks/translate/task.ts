import { estimateTokens } from '../../providers/pricing';
import { asTextList } from '../text-input';
import type { TaskDefinition } from '../types';
import { TRANSLATION_TOKENS_PER_INPUT_TOKEN, translateModels } from './models';
import { huggingFaceTranslate, workersAiTranslate } from './providers';
import type { TranslateOptions, TranslateRequest, TranslateResult } from './schema';

export const translateTask: TaskDefinition<TranslateRequest, string, TranslateResult, TranslateOptions> = {
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
};
