import { localEmbedder } from '../../providers/local/semantic';
import { questionAnswering } from '@huggingface/inference';
import { z } from 'zod';
import { mapWithConcurrency } from '../../providers/concurrency';
import { callHuggingFace } from '../../providers/huggingface/transport';
import type { TaskProvider } from '../../providers/types';
import { malformedUpstreamResponse } from '../../providers/upstream-errors';
import { alignToContext } from './align';
import { answerFromSentences } from './local-answer';
import { HF_QA_MODEL, LOCAL_QA_MODEL } from './models';
import { capForLanguage, otherLanguageOf } from '../english-only';
import type { AnswerItem, AnswerResult } from './schema';

const UPSTREAM_CONCURRENCY = 4;

const reportedSpan = z.object({ answer: z.string(), score: z.number(), start: z.number().int(), end: z.number().int() });

/** Validates a QA model's span and re-anchors it so that `answer === context.slice(start, end)`. */
export function parseReportedSpan(context: string, raw: unknown): AnswerResult {
  const parsed = reportedSpan.safeParse(raw);
  if (!parsed.success) throw malformedUpstreamResponse('huggingface', 'expected {answer, score, start, end}');
  const aligned = alignToContext(context, parsed.data);
  if (!aligned) throw malformedUpstreamResponse('huggingface', 'the answer is not in the context');
  return aligned;
}

/** Extractive QA on Hugging Face (deepset/roberta-base-squad2 by default); object or list answers. */
export const huggingFaceAnswer: TaskProvider<AnswerItem, AnswerResult> = {
  provider: 'huggingface',
  model: HF_QA_MODEL,
  run(call) {
    return mapWithConcurrency(call.items, UPSTREAM_CONCURRENCY, async ({ question, context }) => {
      const span = await callHuggingFace(call, (args, options) => questionAnswering({ ...args, inputs: { question, context } }, options));
      return parseReportedSpan(context, span);
    });
  },
};

/** The best-matching context sentence, inside the Worker. */
export const localAnswer: TaskProvider<AnswerItem, AnswerResult> = {
  provider: 'local',
  model: LOCAL_QA_MODEL,
  async run({ env, items }) {
    const embedder = await localEmbedder(env);
    // English word vectors match another language's words by chance: the score is capped (english-only.ts).
    return Promise.all(
      items.map(async (item) => {
        const result = await answerFromSentences(item, embedder);
        const language = (await otherLanguageOf(item.question)) ?? (await otherLanguageOf(item.context));
        return { ...result, score: capForLanguage(result.score, language) };
      }),
    );
  },
};
