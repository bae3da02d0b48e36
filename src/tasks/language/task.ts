import { estimateTokens } from '../../providers/pricing';
import { asTextList } from '../text-input';
import type { TaskDefinition } from '../types';
import { languageModels } from './models';
import { localLanguage } from './providers';
import type { LanguageRequest, LanguageResult } from './schema';

export const languageTask: TaskDefinition<LanguageRequest, string, LanguageResult> = {
  name: 'language',
  cacheTtlSeconds: 30 * 24 * 60 * 60,
  items: (input) => asTextList(input.text),
  canonicalItem: (text) => text.normalize('NFC'),
  options: () => ({}),
  units: estimateTokens,
  providers: [localLanguage],
  models: languageModels,
};
