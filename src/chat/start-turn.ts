import type { Context } from 'hono';
import type { AppEnv, Bindings } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { estimateCost } from '../pipeline/run-task';
import { maxCostOf } from '../providers/pricing';
import { providerStatus } from '../providers/status';
import { dearest } from '../durable-objects/tenant-guard/budget';
import type { TaskContext } from '../pipeline/context';
import type { ChatMessage } from '../providers/chat-types';
import { randomBase62 } from '../security/crypto';
import { findBot, type Bot } from '../storage/bots';
import { findConversation, recentMessages } from '../storage/conversations';
import { TASKS } from '../tasks/registry';
import { OUTPUT_TOKEN_WEIGHT, chatModels } from '../tasks/chat/models';
import { chatGenerationTask } from '../tasks/chat/task';
import { MAX_ANSWER_TOKENS, PROMPT_BUDGET_TOKENS } from './prompt';
import { prepareTurn, type PreparedTurn, type TurnAgent } from './turn';

/** Stored messages read back as the prompt's history (the prompt budget may keep fewer). */
export const HISTORY_MESSAGES = 20;

/** A conversation id: 22 base62 characters, ~131 random bits — unguessable, so it can be a bearer of access. */
export const newConversationId = () => `conv_${randomBase62(22)}`;

/**
 * What admission reserves for a chat turn: a full prompt and output allowance on the dearest chat
 * model, twice (a mid-stream continuation), plus moderating the message and the answer and the
 * sentiment and query-embedding steps. `promptTokens`, when larger than the prompt budget, is the
 * prompt the request will really send: a client's own messages in plain chat, and an agent's
 * function definitions, JSON schema and tool turns, none of which the budget trims.
 */
export function chatEstimate(env: Bindings, question: string, promptTokens = PROMPT_BUDGET_TOKENS): { usd: number; neurons: number } {
  const prompt = Math.max(PROMPT_BUDGET_TOKENS, promptTokens);
  const generation = dearest(
    chatGenerationTask.providers
      .filter(({ provider }) => providerStatus(env, provider).active)
      .map(({ provider }) => maxCostOf(chatModels.filter((model) => model.provider === provider), [provider], 2 * (prompt + Math.ceil(MAX_ANSWER_TOKENS * OUTPUT_TOKEN_WEIGHT))))
      .map(({ cost_usd, neurons }) => ({ usd: cost_usd, neurons })),
  );
  const steps = [
    estimateCost(env, TASKS.moderate, { text: [question, 'x'.repeat(MAX_ANSWER_TOKENS * 4)] }),
    estimateCost(env, TASKS.sentiment, { text: question }),
    estimateCost(env, TASKS.embed, { text: question }),
  ];
  return steps.reduce((sum, step) => ({ usd: sum.usd + step.usd, neurons: sum.neurons + step.neurons }), generation);
}

export interface TurnSource {
  bot: string;
  question: string;
  /** Prior turns sent by the client (`messages`); otherwise the stored conversation's. */
  history?: ChatMessage[];
  conversationId?: string;
  /** An agent's request to a bot that may allow it (POST /v1/chat/completions). */
  agent?: TurnAgent;
}

/**
 * Loads the bot and conversation (another tenant's ids look like missing ones: 404), then runs
 * the turn's guardrails and retrieval. A publishable key may continue only a conversation it
 * started — every visitor of a site shares one publishable key, so the id itself is the secret.
 * `accept` may refuse the request for the bot it names (what an agent asks of it) before any work.
 */
export async function startTurn(c: Context<AppEnv>, ctx: TaskContext, source: TurnSource, accept?: (bot: Bot) => void): Promise<PreparedTurn> {
  const tenantId = ctx.policy.tenantId;
  // Independent reads, side by side: the bot and the conversation.
  const [bot, conversation] = await Promise.all([
    findBot(c.env.DB, tenantId, source.bot),
    source.conversationId ? findConversation(c.env.DB, tenantId, source.conversationId, new Date().toISOString()) : Promise.resolve(null),
  ]);
  if (!bot) throw new ApiError(404, 'bot_not_found', `No bot ${source.bot}`, { param: 'bot' });
  accept?.(bot);
  if (source.conversationId) {
    const publishable = c.get('presentedKey')?.startsWith('pk_');
    if (!conversation || (publishable && conversation.keyId !== ctx.keyId)) {
      throw new ApiError(404, 'conversation_not_found', `No conversation ${source.conversationId} (conversations expire after their retention period)`, { param: 'conversation_id' });
    }
    if (conversation.botId !== bot.id) throw new ApiError(400, 'invalid_field', `Conversation ${conversation.id} is with another bot`, { param: 'conversation_id' });
  }
  const history =
    source.history ??
    (conversation ? (await recentMessages(c.env.DB, conversation.id, HISTORY_MESSAGES)).map(({ role, content }) => ({ role, content })) : []);
  const agent = source.agent ? { agent: source.agent } : {};
  return prepareTurn(ctx, c.env, { bot, conversation, conversationId: conversation?.id ?? newConversationId(), question: source.question, history, ...agent });
}
