import { estimateTokens } from '../../providers/pricing';
import type { TaskDefinition } from '../types';
import { answerModels } from './models';
import { huggingFaceAnswer, localAnswer } from './providers';
import type { AnswerItem, AnswerRequest, AnswerResult } from './schema';

export const answerTask: TaskDefinition<AnswerRequest, AnswerItem, AnswerResult> = {
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
};
