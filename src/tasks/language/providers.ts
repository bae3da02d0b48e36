import type { TaskProvider } from '../../providers/types';
import { fromDetection } from './detect';
import type { LanguageResult } from './schema';

type Eld = (typeof import('eld/extrasmall'))['eld'];
let detector: Promise<Eld> | undefined;

/**
 * Imported on first use, not at Worker start-up: the n-gram database (~1.3 MB of JavaScript) is
 * only evaluated in isolates that detect a language.
 */
function eldDetector(): Promise<Eld> {
  detector ??= import('eld/extrasmall').then((module) => module.eld);
  return detector;
}

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
