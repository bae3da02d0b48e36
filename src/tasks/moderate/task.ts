import { estimateTokens } from '../../providers/pricing';
import { asTextList } from '../text-input';
import type { TaskDefinition } from '../types';
import { moderateModels } from './models';
import { huggingFaceModerate, localModerate, workersAiModerate } from './providers';
import type { ModerateRequest, ModerateResult } from './schema';

export const moderateTask: TaskDefinition<ModerateRequest, string, ModerateResult> = {
  name: 'moderate',
  // Shorter than other tasks: moderation policies and lexicons change, and re-checking is cheap.
  cacheTtlSeconds: 24 * 60 * 60,
  items: (input) => asTextList(input.text),
  // Not normalised: a look-alike character (fullwidth, combining marks) can be what evades a filter,
  // so differently-encoded texts are judged separately.
  canonicalItem: (text) => text,
  options: () => ({}),
  units: estimateTokens,
  providers: [workersAiModerate, huggingFaceModerate, localModerate],
  models: moderateModels,
};
