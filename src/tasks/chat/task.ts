import type { GenerationRequest, GenerationResult } from '../../providers/chat-types';
import { huggingFaceChat } from '../../providers/huggingface/chat';
import { localChat } from '../../providers/local/chat-quote';
import { estimateTokens } from '../../providers/pricing';
import type { TaskDefinition } from '../types';
import { workersAiChat } from '../../providers/workers-ai/chat';
import { chatModels, OUTPUT_TOKEN_WEIGHT } from './models';

/** A prompt's estimated tokens: its turns, the calls in them, and the function definitions it offers. */
export function promptTokens(request: GenerationRequest): number {
  const turns = request.messages.reduce((sum, message) => sum + estimateTokens(message.content) + (message.tool_calls ? estimateTokens(JSON.stringify(message.tool_calls)) : 0), 0);
  const offered = (request.tools?.length ? estimateTokens(JSON.stringify(request.tools)) : 0) + (request.response_format ? estimateTokens(JSON.stringify(request.response_format)) : 0);
  return turns + offered;
}

/** The prompt's estimated tokens plus the weighted output allowance (see OUTPUT_TOKEN_WEIGHT). */
export function generationUnits(request: GenerationRequest): number {
  return promptTokens(request) + Math.ceil(request.max_tokens * OUTPUT_TOKEN_WEIGHT);
}

/** What changes an answer beyond the prompt: the functions offered, the choice, the output format. */
function agentKey(request: GenerationRequest) {
  const { tools, tool_choice, response_format, parallel_tool_calls } = request;
  return { ...(tools ? { tools, tool_choice } : {}), ...(response_format ? { response_format } : {}), ...(parallel_tool_calls === false ? { parallel_tool_calls } : {}) };
}

/**
 * Generation as a task, so a non-streamed chat turn runs through `runTask` like any other call:
 * cache (an identical prompt — same bot, sources, history and question — is answered once),
 * single-flight, provider fallback and metering. Internal: not in the task registry, so it has
 * no `/v1/chat` task route of its own; its models are listed by GET /v1/models.
 */
export const chatGenerationTask: TaskDefinition<GenerationRequest, GenerationRequest, GenerationResult> = {
  name: 'chat',
  // Short: a knowledge-base edit changes the sources and so the prompt, but a bot's tone may be tuned.
  cacheTtlSeconds: 60 * 60,
  items: (request) => [request],
  // Agent fields only when sent, so a plain prompt's key is what it always was.
  canonicalItem: (request) => ({ messages: request.messages, max_tokens: request.max_tokens, ...agentKey(request) }),
  options: () => ({}),
  units: generationUnits,
  providers: [workersAiChat, huggingFaceChat, localChat],
  models: chatModels,
};
