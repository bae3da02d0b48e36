import type { GenerationRequest, GenerationResult } from '../../providers/chat-types';
import { huggingFaceChat } from '../../providers/huggingface/chat';
import { localChat } from '../../providers/local/chat-quote';
import { estimateTokens } from '../../providers/pricing';
import type { TaskDefinition } from '../types';
import { workersAiChat } from '../../providers/workers-ai/chat';
import { chatModels, OUTPUT_TOKEN_WEIGHT } from './models';

/** The prompt's estimated tokens plus the weighted output allowance (see OUTPUT_TOKEN_WEIGHT). */
export function generationUnits(request: GenerationRequest): number {
  const prompt = request.messages.reduce((sum, message) => sum + estimateTokens(message.content), 0);
  return prompt + Math.ceil(request.max_tokens * OUTPUT_TOKEN_WEIGHT);
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
  canonicalItem: (request) => ({ messages: request.messages, max_tokens: request.max_tokens }),
  options: () => ({}),
  units: generationUnits,
  providers: [workersAiChat, huggingFaceChat, localChat],
  models: chatModels,
};
