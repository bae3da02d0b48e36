import type { Bindings } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import { newId } from '../security/crypto';
import { findKnowledgeBases } from '../storage/knowledge-bases';
import type { Bot, EscalationRules } from '../storage/bots';
import { DEFAULT_NEGATIVE_SENTIMENT_THRESHOLD } from './escalation';
import { chatModel } from '../tasks/chat/models';
import type { CreateBotInput, UpdateBotInput } from './schema';

/** Every knowledge base must be the tenant's; another tenant's id is reported like a missing one. */
async function checkKnowledgeBases(env: Bindings, tenantId: string, ids: string[]): Promise<void> {
  const found = new Set((await findKnowledgeBases(env.DB, tenantId, ids)).map((kb) => kb.id));
  const index = ids.findIndex((id) => !found.has(id));
  if (index >= 0) throw new ApiError(400, 'invalid_field', `Knowledge base ${ids[index]} not found`, { param: `knowledge_bases.${index}` });
  if (new Set(ids).size !== ids.length) throw new ApiError(400, 'invalid_field', 'A knowledge base is listed twice', { param: 'knowledge_bases' });
}

function checkModel(bot: Pick<Bot, 'model' | 'providers'>): void {
  if (!bot.model) return;
  const model = chatModel(bot.model);
  if (!model) throw new ApiError(400, 'invalid_field', `Unknown chat model ${bot.model}; GET /v1/models lists those with task "chat"`, { param: 'model' });
  if (bot.providers && !bot.providers.includes(model.provider)) {
    throw new ApiError(400, 'invalid_field', `${bot.model} runs on ${model.provider}, which is not in the bot's providers`, { param: 'model' });
  }
}

function escalationOf(input: CreateBotInput['escalation'], current?: EscalationRules): EscalationRules {
  const base: EscalationRules = current ?? { keywords: [], min_retrieval_score: null, on_request_for_human: true, on_negative_sentiment: null, handoff_message: null };
  if (!input) return base;
  const sentiment = input.on_negative_sentiment;
  return {
    keywords: input.keywords ?? base.keywords,
    min_retrieval_score: input.min_retrieval_score ?? base.min_retrieval_score,
    on_request_for_human: input.on_request_for_human ?? base.on_request_for_human,
    on_negative_sentiment: sentiment === undefined ? base.on_negative_sentiment : sentiment === true ? DEFAULT_NEGATIVE_SENTIMENT_THRESHOLD : sentiment === false ? null : sentiment,
    handoff_message: input.handoff_message === undefined ? base.handoff_message : input.handoff_message,
  };
}

export async function createBot(env: Bindings, tenantId: string, input: CreateBotInput): Promise<Bot> {
  await checkKnowledgeBases(env, tenantId, input.knowledge_bases);
  const now = new Date().toISOString();
  const bot: Bot = {
    id: newId('bot'),
    tenantId,
    name: input.name,
    instructions: input.instructions,
    knowledgeBases: input.knowledge_bases,
    topics: input.topics ?? null,
    model: input.model ?? null,
    providers: input.providers ?? null,
    escalation: escalationOf(input.escalation),
    createdAt: now,
    updatedAt: now,
  };
  checkModel(bot);
  return bot;
}

export async function changedBot(env: Bindings, bot: Bot, input: UpdateBotInput): Promise<Bot> {
  if (input.knowledge_bases) await checkKnowledgeBases(env, bot.tenantId, input.knowledge_bases);
  const next: Bot = {
    ...bot,
    name: input.name ?? bot.name,
    instructions: input.instructions ?? bot.instructions,
    knowledgeBases: input.knowledge_bases ?? bot.knowledgeBases,
    topics: input.topics === undefined ? bot.topics : input.topics,
    model: input.model === undefined ? bot.model : input.model,
    providers: input.providers === undefined ? bot.providers : input.providers,
    escalation: escalationOf(input.escalation, bot.escalation),
    updatedAt: new Date().toISOString(),
  };
  checkModel(next);
  return next;
}

export const presentBot = (bot: Bot) => ({
  id: bot.id,
  object: 'bot' as const,
  name: bot.name,
  instructions: bot.instructions,
  knowledge_bases: bot.knowledgeBases,
  topics: bot.topics,
  model: bot.model,
  providers: bot.providers,
  escalation: bot.escalation,
  created_at: bot.createdAt,
  updated_at: bot.updatedAt,
});
