import { estimateTokens } from '../../providers/pricing';
import { sentimentModels } from './models';
import { asTextList } from '../text-input';
import { type LocalReadShare, localWindowWarnings, shareWindowBudget, textField } from '../local-window';
import type { PublicTaskDefinition } from '../types';
import { LOCAL_SENTIMENT_REQUEST_UNITS, LOCAL_SENTIMENT_UNITS } from './local-sentiment';
import { BINARY_NEUTRAL_BELOW, huggingFaceSentiment, LEXICON_NEUTRAL_BAND, localSentiment, workersAiSentiment } from './providers';
import { englishOnlyWarnings, ENGLISH_ONLY_SCORE_CAP, textsOf } from '../english-only';
import { type SentimentRequest, sentimentRequestSchema, sentimentResponseSchema, type SentimentResult } from './schema';

export const sentimentTask: PublicTaskDefinition<SentimentRequest, string, SentimentResult, LocalReadShare> = {
  name: 'sentiment',
  cacheTtlSeconds: 7 * 24 * 60 * 60,
  items: (input) => asTextList(input.text),
  canonicalItem: (text) => text.normalize('NFC'),
  // What the local tier may read of each text when the request's texts exceed its budget.
  options: (input) => shareWindowBudget(asTextList(input.text), LOCAL_SENTIMENT_UNITS, LOCAL_SENTIMENT_REQUEST_UNITS),
  units: estimateTokens,
  providers: [workersAiSentiment, huggingFaceSentiment, localSentiment],
  models: sentimentModels,
  confidence: (result) => result.score,
  // The local score is the measured chance the label is right (local-sentiment.ts): at 0.8, plain
  // verdicts stay local; contrast, negation, questions and weak polarity escalate.
  defaultCascadeThreshold: 0.8,
  warnings: async (options, provider, _results, texts) =>
    provider === 'local'
      ? [
          ...(await englishOnlyWarnings(textsOf(texts), `its English lexicon reads it as mostly neutral, so the score is capped at ${ENGLISH_ONLY_SCORE_CAP}.`)),
          ...localWindowWarnings(
            texts.map((text, index) => ({ field: textField('text', index, texts.length), text, units: LOCAL_SENTIMENT_UNITS })),
            'Its label is that of the part read, as a 512-token model reads the start of a long text.',
            options,
          ),
        ]
      : [],
  api: {
    summary: 'Sentiment of one text or a batch',
    description:
      `Each result is positive, negative or neutral with a 0–1 confidence. Binary models (SST-2) answer neutral ` +
      `when neither side reaches ${BINARY_NEUTRAL_BELOW}; the local lexicon tier answers neutral within ±${LEXICON_NEUTRAL_BAND} polarity.`,
    request: sentimentRequestSchema,
    response: sentimentResponseSchema,
    primaryField: 'text',
    sample: { text: 'sample' },
  },
};