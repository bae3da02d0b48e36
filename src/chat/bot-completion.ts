import { ApiError } from '../contracts/errors';
import { fieldPath } from '../contracts/validation';
import type { AgentOptions, ChatMessage, ToolCall } from '../providers/chat-types';
import type { AgentFeature } from '../tasks/chat/models';
import { turnSource } from './chat-route';
import { GUARDRAIL_MODEL, type TurnResponse } from './finish';
import type { TurnSource } from './start-turn';

/** A finished answer, whoever wrote it (a bot turn or plain chat), before it becomes OpenAI's shape. */
export interface Completed {
  content: string;
  toolCalls?: ToolCall[];
  /** Set instead of content when a JSON-mode answer was refused (OpenAI's `message.refusal`). */
  refusal?: string;
  promptTokens: number;
  completionTokens: number;
  minnow: Record<string, unknown>;
}

/**
 * A bot turn as a completion. In JSON mode an answer no model wrote (a guardrail's refusal, a
 * handoff) is OpenAI's `refusal`, not content that is not JSON.
 */
export function fromTurn(response: TurnResponse, jsonMode: boolean): Completed {
  const { message, usage, id: _id, object: _object, toolCalls, ...rest } = response;
  const refused = jsonMode && (response.refusal !== undefined || response.model === GUARDRAIL_MODEL);
  return {
    ...(refused ? { content: '', refusal: message.content } : { content: message.content }),
    ...(toolCalls?.length ? { toolCalls } : {}),
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    minnow: { ...rest, cost_usd: usage.cost_usd },
  };
}

/**
 * A bot turn from the client's messages: the last user message is the question, the turns before
 * it the history. For an agent's request the turns after it — the assistant's calls and the tool
 * results — follow the question in the prompt, so the answer that uses them stays grounded.
 */
export function botSource(request: { conversation_id?: string | undefined }, bot: string, messages: ChatMessage[], agent: AgentOptions, features: AgentFeature[]): TurnSource {
  const conversation = request.conversation_id ? { conversation_id: request.conversation_id } : {};
  if (features.length === 0) {
    const turns = messages.map(({ role, content }) => ({ role: role as 'system' | 'user' | 'assistant', content }));
    return turnSource({ bot, messages: turns, ...conversation });
  }
  const last = messages.map((message) => message.role).lastIndexOf('user');
  const question = messages[last]?.content.trim();
  if (!question) throw new ApiError(400, 'invalid_field', 'At least one user message with text is needed; the last one is the question', { param: last < 0 ? 'messages' : fieldPath('messages', last) });
  const turns = (from: number, to?: number) => messages.slice(from, to).filter((message) => message.role !== 'system');
  return {
    bot,
    question,
    history: turns(0, last),
    agent: { options: agent, features, toolTurns: turns(last + 1) },
    ...(request.conversation_id ? { conversationId: request.conversation_id } : {}),
  };
}
