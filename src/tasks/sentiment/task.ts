import { estimateTokens } from '../../providers/pricing';
import { sentimentModels } from './models';
import { asTextList } from '../text-input';
import type { TaskDefinition } from '../types';
import { huggingFaceSentiment, localSentiment, workersAiSentiment } from './providers';
import type { SentimentRequest, SentimentResult } from './schema';

export const sentimentTask: TaskDefinition<SentimentRequest, string, SentimentResult> = {
  name: 'sentiment',
  cacheTtlSeconds: 7 * 24 * 60 * 60,
  items: (input) => asTextList(input.text),
  canonicalItem: (text) => text.normalize('NFC'),
  options: () => ({}),
  units: estimateTokens,
  providers: [workersAiSentiment, huggingFaceSentiment, localSentiment],
  models: sentimentModels,
  confidence: (result) => result.score,
  // The lexicon's score is 0.8 at polarity ±0.6: clear-cut reviews stay local, mild ones escalate.
  defaultCascadeThreshold: 0.8,
};
