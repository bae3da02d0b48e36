import { estimateTokens } from '../../providers/pricing';
import { countWords } from '../answer/sentences';
import { asTextList } from '../text-input';
import { localWindowWarnings, shareWindowBudget, textField } from '../local-window';
import type { PublicTaskDefinition } from '../types';
import { LOCAL_SUMMARY_REQUEST_UNITS, LOCAL_SUMMARY_UNITS } from './extractive';
import { OUTPUT_TOKEN_WEIGHT, summarizeModels } from './models';
import { huggingFaceSummarize, localSummarize, workersAiSummarize } from './providers';
import { DEFAULT_SUMMARY_WORDS, MAX_SUMMARIZE_CHARS, MAX_SUMMARIZE_TEXTS, type SummarizeOptions, type SummarizeRequest, summarizeRequestSchema, summarizeResponseSchema, type SummarizeResult } from './schema';
import { englishOnlyWarnings, textsOf } from '../english-only';
import { tokensForWords } from './word-limit';

/** Input tokens plus the summary's expected tokens weighted by the output/input price ratio (see models.ts). */
export function summarizeUnits(text: string, options: SummarizeOptions): number {
  const expectedOutputTokens = tokensForWords(Math.min(options.max_words, countWords(text)));
  return estimateTokens(text) + Math.ceil(expectedOutputTokens * OUTPUT_TOKEN_WEIGHT);
}

/** The texts the local tier reads with its window: those longer than max_words (a shorter one is returned whole). */
const readTexts = (texts: string[], maxWords: number) =>
  texts.flatMap((text, index) => (countWords(text) > maxWords ? [{ field: textField('text', index, texts.length), text, units: LOCAL_SUMMARY_UNITS }] : []));

export const summarizeTask: PublicTaskDefinition<SummarizeRequest, string, SummarizeResult, SummarizeOptions> = {
  name: 'summarize',
  cacheTtlSeconds: 7 * 24 * 60 * 60,
  items: (input) => asTextList(input.text),
  canonicalItem: (text) => text.normalize('NFC'),
  // The default is written into the options, so "no max_words" and "max_words: 60" share a cache entry.
  // And the local tier's share of its request budget, over the texts it reads (tasks/local-window.ts).
  options: (input) => {
    const maxWords = input.max_words ?? DEFAULT_SUMMARY_WORDS;
    const read = readTexts(asTextList(input.text), maxWords).map(({ text }) => text);
    return { max_words: maxWords, ...shareWindowBudget(read, LOCAL_SUMMARY_UNITS, LOCAL_SUMMARY_REQUEST_UNITS) };
  },
  units: summarizeUnits,
  providers: [workersAiSummarize, huggingFaceSummarize, localSummarize],
  models: summarizeModels,
  // A text within max_words is returned whole (extractive.ts); only a longer one is read by the window.
  warnings: async (options, provider, _results, texts) =>
    provider === 'local'
      ? [
          ...(await englishOnlyWarnings(textsOf(texts), 'its sentences are chosen with English word vectors, which know few of its words: the choice is close to arbitrary.')),
          ...localWindowWarnings(readTexts(texts, options.max_words), 'The summary is drawn from the part read.', options),
        ]
      : [],
  api: {
    summary: 'Summarize one text or a batch',
    description:
      `One summary per text (up to ${MAX_SUMMARIZE_TEXTS} texts of ≤ ${MAX_SUMMARIZE_CHARS} characters), each at most \`max_words\` ` +
      `words (default ${DEFAULT_SUMMARY_WORDS}). Workers AI (Llama 3.2 1B) and Hugging Face (DistilBART-CNN) write abstractive ` +
      'summaries; the local tier picks the most central sentences of the text, in order. Units are input-token ' +
      'equivalents: input tokens plus the expected summary tokens weighted by the model\'s output/input price ratio.',
    request: summarizeRequestSchema,
    response: summarizeResponseSchema,
    primaryField: 'text',
    sample: { text: 'sample' },
  },
};