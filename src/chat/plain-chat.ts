import type { TaskContext } from '../pipeline/context';
import { stepContext } from '../pipeline/step-context';
import type { AgentOptions, ChatMessage, GenerationRequest, ToolCall } from '../providers/chat-types';
import type { CatalogModel } from '../providers/pricing';
import type { ProviderId } from '../contracts/provider-ids';
import { OUTPUT_REFUSAL } from './finish';
import { generate, generateStreaming, type GeneratedAnswer } from './generate';
import { MAX_ANSWER_TOKENS } from './prompt';
import { MODERATION_REFUSAL, moderate } from './turn';

/** A plain chat answer (no bot, no knowledge base), moderated in and out. */
export interface PlainAnswer {
  content: string;
  /** The functions the model called (agent requests); dropped when output moderation refuses. */
  toolCalls?: ToolCall[];
  answer: GeneratedAnswer | null;
  refused: boolean;
  costUsd: number;
}

/**
 * OpenAI-style chat with a catalog model named directly: the client's messages as they are (its
 * own system prompt included), that model only — the caller chose it — and the same moderation
 * of the last user message and of the answer as a bot turn.
 *
 * With tools and a streaming client the upstream streams too: text deltas pass on live, function
 * calls arrive whole and checked (providers/tool-call-stream.ts) and are returned with the answer,
 * so their arguments are moderated with the text before the route sends them. JSON output is
 * asked unstreamed: a JSON document is only checkable whole (providers/structured-output.ts), and
 * Workers AI's JSON mode does not stream (cloudflare-docs …/features/json-mode.mdx); its content
 * is then emitted in one delta.
 */
export async function plainChat(ctx: TaskContext, model: CatalogModel, messages: ChatMessage[], maxTokens: number | undefined, emit?: (delta: string) => Promise<void>, agent: AgentOptions = {}): Promise<PlainAnswer> {
  const question = [...messages].reverse().find((message) => message.role === 'user')?.content ?? '';
  const input = await moderate(ctx, 'moderate-input', question);
  if (input.blocked) return { content: MODERATION_REFUSAL, answer: null, refused: true, costUsd: input.costUsd };
  const provider = model.provider as ProviderId;
  const generationContext: TaskContext = {
    ...stepContext(ctx, 'generate'),
    policy: { ...ctx.policy, tasks: { ...ctx.policy.tasks, chat: { providers: [provider], models: { [provider]: model.id } } } },
  };
  const request: GenerationRequest = { messages, max_tokens: Math.min(maxTokens ?? MAX_ANSWER_TOKENS, MAX_ANSWER_TOKENS), question, sources: [], ...agent };
  const whole = Boolean(agent.response_format);
  const answer = emit && !whole ? await generateStreaming(generationContext, request, emit) : await generate(generationContext, request);
  // A function call's arguments are output too: they are moderated with the text.
  const written = [answer.text, ...(answer.toolCalls ?? []).map((call) => call.arguments)].filter(Boolean).join('\n');
  const output = await moderate(ctx, 'moderate-output', written);
  const costUsd = input.costUsd + answer.cost.cost_usd + output.costUsd;
  if (output.blocked) return { content: OUTPUT_REFUSAL, answer, refused: true, costUsd };
  if (emit && whole && answer.text) await emit(answer.text);
  return { content: answer.text, ...(answer.toolCalls ? { toolCalls: answer.toolCalls } : {}), answer, refused: false, costUsd };
}
