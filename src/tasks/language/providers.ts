import { eldDetector } from '../../providers/local/eld';
import type { TaskProvider } from '../../providers/types';
import { fromDetection } from './detect';
import type { LanguageResult } from './schema';

/** The only provider: no Workers AI or Hugging Face model is wired for language detection. */
export const localLanguage: TaskProvider<string, LanguageResult> = {
  provider: 'local',
  model: 'minnow/eld-xs-60',
  async run({ items }) {
    if (items.length === 0) return [];
    const eld = await eldDetector();
    return items.map((text) => {
      const result = eld.detect(text);
      return fromDetection({ language: result.language, scores: result.getScores(), reliable: result.isReliable() });
    });
  },
};
