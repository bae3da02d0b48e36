import { estimateTokens } from '../../providers/pricing';
import { asTextList } from '../text-input';
import type { TaskDefinition } from '../types';
import { classifyModels } from './models';
import { huggingFaceClassify, localClassify, workersAiClassify } from './providers';
import type { ClassifyOptions, ClassifyRequest, ClassifyResult } from './schema';

export const classifyTask: TaskDefinition<ClassifyRequest, string, ClassifyResult, ClassifyOptions> = {
  name: 'classify',
  cacheTtlSeconds: 7 * 24 * 60 * 60,
  items: (input) => asTextList(input.text),
  canonicalItem: (text) => text.normalize('NFC'),
  // Sorted: every provider scores each label on its own and the results are ranked, so the
  // order the caller listed them in never changes the answer and must not split the cache.
  options: (input) => ({ labels: [...input.labels].sort(), multi_label: input.multi_label }),
  // Each text is sent with its candidate labels.
  units: (text, options) => estimateTokens(text) + options.labels.reduce((sum, label) => sum + estimateTokens(label), 0),
  providers: [workersAiClassify, huggingFaceClassify, localClassify],
  models: classifyModels,
  confidence: (result) => result.labels[0]?.score ?? 0,
  defaultCascadeThreshold: 0.6,
};
