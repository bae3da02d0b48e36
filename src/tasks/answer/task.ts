import { estimateTokens } from '../../providers/pricing';
import { localWindowWarnings } from '../local-window';
import type { PublicTaskDefinition } from '../types';
import { LOCAL_CONTEXT_UNITS, LOCAL_QUESTION_UNITS } from './local-answer';
import { answerModels } from './models';
import { huggingFaceAnswer, localAnswer } from './providers';
import { englishOnlyWarnings, ENGLISH_ONLY_SCORE_CAP, textsOf } from '../english-only';
import { type AnswerItem, type AnswerRequest, answerRequestSchema, answerResponseSchema, type AnswerResult, MAX_CONTEXT_CHARS, MAX_QUESTION_CHARS } from './schema';

export const answerTask: PublicTaskDefinition<AnswerRequest, AnswerItem, AnswerResult> = {
  name: 'answer',
  cacheTtlSeconds: 7 * 24 * 60 * 60,
  // A question only makes sense with its context: one item, answered and cached whole.
  items: (input) => [{ question: input.question, context: input.context }],
  // The context is keyed verbatim: normalising it would let a differently-encoded context reuse
  // offsets that do not fit it. The question may be normalised; offsets never point into it.
  canonicalItem: (item) => ({ question: item.question.normalize('NFC').trim(), context: item.context }),
  options: () => ({}),
  units: (item) => estimateTokens(item.question) + estimateTokens(item.context),
  providers: [huggingFaceAnswer, localAnswer],
  models: answerModels,
  confidence: (result) => result.score,
  defaultCascadeThreshold: 0.5,
  warnings: async (_options, provider, _results, [item]) =>
    provider === 'local' && item
      ? [
          ...(await englishOnlyWarnings(
            [
              { field: 'question', text: item.question },
              { field: 'context', text: item.context },
            ],
            `its sentence is matched with English word vectors, which know few of its words, so the score is capped at ${ENGLISH_ONLY_SCORE_CAP}.`,
          )),
          ...localWindowWarnings(
          [
            { field: 'context', text: item.context, units: LOCAL_CONTEXT_UNITS },
            { field: 'question', text: item.question, units: LOCAL_QUESTION_UNITS },
          ],
          'The answer is looked for in the part of the context read, with the words of the part of the question read.',
          ),
        ]
      : [],
  api: {
    summary: 'Extractive question answering over a context',
    description:
      `Answers a question (≤ ${MAX_QUESTION_CHARS} characters) with a span of the context (≤ ${MAX_CONTEXT_CHARS} characters): ` +
      'one result whose `answer` is exactly `context.slice(start, end)` (UTF-16 offsets). Hugging Face returns the model\'s span ' +
      'and probability; the local tier returns the best-matching sentence and a 0–1 match score. Workers AI has no QA model.',
    request: answerRequestSchema,
    response: answerResponseSchema,
    primaryField: 'context',
    sample: { question: 'sample?', context: 'sample' },
  },
};