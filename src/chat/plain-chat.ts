import type { TaskContext } from '../pipeline/context';
import { stepContext } from '../pipeline/step-context';
import type { ChatMessage, GenerationRequest } from '../providers/chat-types';
import type { CatalogModel } from '../providers/pricing';
import type { ProviderId } from '../contracts/provider-ids';
import { OUTPUT_REFUSAL } from './finish';
import { generate, generateStreaming, type GeneratedAnswer } from './generate';
import { MAX_ANSWER_TOKENS } from './prompt';
import { MODERATION_REFUSAL, moderate } from './turn';

/** A plain chat answer (no bot, no knowledge base), moderated in and out. */
export interface PlainAnswer {
  content: string;
  answer: GeneratedAnswer | null;
  refused: boolean;
  costUsd: number;
}

/**
 * OpenAI-style chat with a catalog model named directly: the client's messages as they are (its
 * own system prompt included), that model only — the caller chose it — and the same moderation
 * of the last user message and of the answer as a bot turn.
 */
export async function plainChat(ctx: TaskContext, model: CatalogModel, messages: ChatMessage[], maxTokens: number | undefined, emit?: (delta: string) => Promise<void>): Promise<PlainAnswer> {
  const question = [...messages].reverse().find((message) => message.role === 'user')?.content ?? '';
  const input = await moderate(ctx, 'moderate-input', question);
  if (input.blocked) return { content: MODERATION_REFUSAL, answer: null, refused: true, costUsd: input.costUsd };
  const provider = model.provider as ProviderId;
  const generationContext: TaskContext = {
    ...stepContext(ctx, 'generate'),
    policy: { ...ctx.policy, tasks: { ...ctx.policy.tasks, chat: { providers: [provider], models: { [provider]: model.id } } } },
  };
  const request: GenerationRequest = { messages, max_tokens: Math.min(maxTokens ?? MAX_ANSWER_TOKENS, MAX_ANSWER_TOKENS), question, sources: [] };
  const answer = emit ? await generateStreaming(generationContext, request, emit) : await generate(generationContext, request);
  const output = await moderate(ctx, 'moderate-output', answer.text);
  const costUsd = input.costUsd + answer.cost.cost_usd + output.costUsd;
  return output.blocked ? { content: OUTPUT_REFUSAL, answer, refused: true, costUsd } : { content: answer.text, answer, refused: false, costUsd };
}
