import { localEmbedder } from '../../providers/local/semantic';
import { summarization } from '@huggingface/inference';
import { z } from 'zod';
import { mapWithConcurrency } from '../../providers/concurrency';
import { callHuggingFace } from '../../providers/huggingface/transport';
import { estimateTokens } from '../../providers/pricing';
import type { TaskProvider } from '../../providers/types';
import type { ProviderId } from '../../contracts/provider-ids';
import { malformedUpstreamResponse } from '../../providers/upstream-errors';
import { responseText } from '../../providers/workers-ai/response-text';
import { runWorkersAi } from '../../providers/workers-ai/transport';
import { extractiveSummary, LOCAL_SUMMARY_UNITS } from './extractive';
import { unitsRead } from '../local-window';
import { HF_SUMMARY_MODEL, LOCAL_SUMMARY_MODEL, WORKERS_AI_SUMMARY_MODEL } from './models';
import type { SummarizeOptions, SummarizeResult } from './schema';
import { cleanGeneratedSummary, limitWords, tokensForWords } from './word-limit';

const UPSTREAM_CONCURRENCY = 4;
/** Low temperature: a summary should stick to the text, and repeated calls should agree. */
const SUMMARY_TEMPERATURE = 0.2;
/** distilbart-cnn's own min_length; asked for less when the word budget or the text is small. */
const BART_DEFAULT_MIN_TOKENS = 56;

/** A string, or a number or object the binding parsed from the answer (response-text.ts). */
const instructResponse = z.object({ response: z.union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.unknown()), z.array(z.unknown())]) });
const summaryTexts = z.array(z.object({ summary_text: z.string() })).min(1);

export function systemPrompt(maxWords: number): string {
  return (
    `You summarize texts. Write a summary of the user's text in at most ${maxWords} words. ` +
    'Keep the key facts, names and numbers. Reply with the summary only: no title, no preamble, no bullet points.'
  );
}

function finished(provider: ProviderId, raw: string, maxWords: number): SummarizeResult {
  const summary = limitWords(cleanGeneratedSummary(raw), maxWords);
  if (!summary) throw malformedUpstreamResponse(provider, 'the summary is empty');
  return { summary };
}

export const workersAiSummarize: TaskProvider<string, SummarizeResult, SummarizeOptions> = {
  provider: 'workers-ai',
  model: WORKERS_AI_SUMMARY_MODEL,
  run(call) {
    const { max_words: maxWords } = call.options;
    return mapWithConcurrency(call.items, UPSTREAM_CONCURRENCY, async (text) => {
      const raw = await runWorkersAi(call, {
        messages: [
          { role: 'system', content: systemPrompt(maxWords) },
          { role: 'user', content: text },
        ],
        max_tokens: tokensForWords(maxWords),
        temperature: SUMMARY_TEMPERATURE,
      });
      const parsed = instructResponse.safeParse(raw);
      if (!parsed.success) throw malformedUpstreamResponse('workers-ai', 'expected {response: string}');
      return finished('workers-ai', responseText(parsed.data.response)!, maxWords);
    });
  },
};

/** Some endpoints answer a bare `{summary_text}`; the client accepts only the list. */
const listOfSummaries = (body: unknown) => (body && typeof body === 'object' && !Array.isArray(body) && 'summary_text' in body ? [body] : body);

export const huggingFaceSummarize: TaskProvider<string, SummarizeResult, SummarizeOptions> = {
  provider: 'huggingface',
  model: HF_SUMMARY_MODEL,
  run(call) {
    const { max_words: maxWords } = call.options;
    return mapWithConcurrency(call.items, UPSTREAM_CONCURRENCY, async (text) => {
      const maxLength = tokensForWords(maxWords);
      const minLength = Math.max(1, Math.min(BART_DEFAULT_MIN_TOKENS, Math.floor(maxLength / 2), Math.floor(estimateTokens(text) / 2)));
      const output = await callHuggingFace(
        call,
        (args, options) =>
          summarization({ ...args, inputs: text, parameters: { max_length: maxLength, min_length: minLength, truncation: 'longest_first' } }, options),
        listOfSummaries,
      );
      // The client returns the list's first entry; validate it as the wire list's element.
      const parsed = summaryTexts.safeParse([output]);
      if (!parsed.success) throw malformedUpstreamResponse('huggingface', 'expected [{summary_text}]');
      return finished('huggingface', parsed.data[0]!.summary_text, maxWords);
    });
  },
};

export const localSummarize: TaskProvider<string, SummarizeResult, SummarizeOptions> = {
  provider: 'local',
  model: LOCAL_SUMMARY_MODEL,
  async run({ env, items, options }) {
    const embedder = await localEmbedder(env);
    const units = unitsRead(LOCAL_SUMMARY_UNITS, options);
    return Promise.all(items.map(async (text) => ({ summary: await extractiveSummary(text, options.max_words, embedder, units) })));
  },
};
