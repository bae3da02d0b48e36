import { estimateTokens } from '../../providers/pricing';
import { countWords } from '../answer/sentences';
import { asTextList } from '../text-input';
import type { TaskDefinition } from '../types';
import { OUTPUT_TOKEN_WEIGHT, summarizeModels } from './models';
import { huggingFaceSummarize, localSummarize, workersAiSummarize } from './providers';
import { DEFAULT_SUMMARY_WORDS, type SummarizeOptions, type SummarizeRequest, type SummarizeResult } from './schema';
import { tokensForWords } from './word-limit';

/** Input tokens plus the summary's expected tokens weighted by the output/input price ratio (see models.ts). */
export function summarizeUnits(text: string, options: SummarizeOptions): number {
  const expectedOutputTokens = tokensForWords(Math.min(options.max_words, countWords(text)));
  return estimateTokens(text) + Math.ceil(expectedOutputTokens * OUTPUT_TOKEN_WEIGHT);
}

export const summarizeTask: TaskDefinition<SummarizeRequest, string, SummarizeResult, SummarizeOptions> = {
  name: 'summarize',
  cacheTtlSeconds: 7 * 24 * 60 * 60,
  items: (input) => asTextList(input.text),
  canonicalItem: (text) => text.normalize('NFC'),
  // The default is written into the options, so "no max_words" and "max_words: 60" share a cache entry.
  options: (input) => ({ max_words: input.max_words ?? DEFAULT_SUMMARY_WORDS }),
  units: summarizeUnits,
  providers: [workersAiSummarize, huggingFaceSummarize, localSummarize],
  models: summarizeModels,
};
