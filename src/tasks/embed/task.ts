import { estimateTokens } from '../../providers/pricing';
import type { PublicTaskDefinition } from '../types';
import { EMBED_POOLING_RULE, embedModels, providerOfEmbedModel } from './models';
import { huggingFaceEmbed, localEmbed, workersAiEmbed } from './providers';
import { MAX_MEANING_ITEMS, MAX_MEANING_TEXT_CHARS } from './limits';
import { embedPolicy } from './plan';
import { isZeroVector, noKnownWordsWarning } from '../known-words';
import { textField } from '../local-window';
import { embedRequestSchema, embedResponseSchema, type EmbedRequest, type EmbedResult } from './schema';

const asList = (text: string | string[]) => (Array.isArray(text) ? text : [text]);

/**
 * One item per text: a batch with some texts seen before sends only the new ones upstream. The
 * model is not an option: the request's model is planned as the provider's model (see plan.ts),
 * and the cache key names the planned model.
 */
export const embedTask: PublicTaskDefinition<EmbedRequest, string, EmbedResult, { pooling?: string }> = {
  name: 'embed',
  // An embedding is a pure function of (model, text): keep it as long as KV's usual horizon.
  cacheTtlSeconds: 30 * 24 * 60 * 60,
  items: (input) => asList(input.text),
  canonicalItem: (text) => text.normalize('NFC'),
  // Not a caller's option: it puts the pooling rule in every cache key (models.ts), the model being there already.
  options: () => ({ pooling: EMBED_POOLING_RULE }),
  units: estimateTokens,
  providers: [workersAiEmbed, huggingFaceEmbed, localEmbed],
  models: embedModels,
  planPolicy: (env, policy, input) => embedPolicy(env, embedTask, policy, input.model),
  // Read from the vectors themselves, so a cached answer carries it too.
  warnings: (_options, provider, results, texts) =>
    provider === 'local'
      ? noKnownWordsWarning(
          results.flatMap((result, index) => (isZeroVector(result.embedding) ? [textField('text', index, texts.length)] : [])),
          'Its cosine with any vector is 0, and normalising it divides by zero.',
        )
      : [],
  // A model no provider serves narrows nothing: the estimate stays an upper bound (and the plan refuses the model).
  servedBy: (input) => {
    const owner = input.model ? providerOfEmbedModel(input.model) : undefined;
    return owner ? [owner] : undefined;
  },
  api: {
    summary: 'Sentence embeddings of one text or a batch',
    description:
      `One vector per text (up to ${MAX_MEANING_ITEMS} texts of at most ${MAX_MEANING_TEXT_CHARS} characters), with its length in \`dims\`. ` +
      'Without `model` the tenant\'s plan runs (default bge-small-en-v1.5, 384 dims) and falls back only to a provider running ' +
      'the same model with the same pooling, so one answer never mixes vector spaces (Workers AI bge pools by mean, Hugging Face ' +
      'bge by CLS: not one space). With `model`, exactly that model runs, on the provider that serves it. ' +
      'The local model is lexical (averaged word vectors, 100 dims): useful for topic similarity, blind to word order and negation.',
    request: embedRequestSchema,
    response: embedResponseSchema,
    primaryField: 'text',
    sample: { text: 'sample' },
  },
};
