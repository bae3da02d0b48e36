import { estimateTokens } from '../../providers/pricing';
import type { TaskDefinition } from '../types';
import { embedModels } from './models';
import { huggingFaceEmbed, localEmbed, workersAiEmbed } from './providers';
import type { EmbedRequest, EmbedResult } from './schema';

const asList = (text: string | string[]) => (Array.isArray(text) ? text : [text]);

/**
 * One item per text: a batch with some texts seen before sends only the new ones upstream. The
 * model is not an option: the request's model is planned as the provider's model (see plan.ts),
 * and the cache key names the planned model.
 */
export const embedTask: TaskDefinition<EmbedRequest, string, EmbedResult> = {
  name: 'embed',
  // An embedding is a pure function of (model, text): keep it as long as KV's usual horizon.
  cacheTtlSeconds: 30 * 24 * 60 * 60,
  items: (input) => asList(input.text),
  canonicalItem: (text) => text.normalize('NFC'),
  options: () => ({}),
  units: estimateTokens,
  providers: [workersAiEmbed, huggingFaceEmbed, localEmbed],
  models: embedModels,
};
