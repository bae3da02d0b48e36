import type { Bindings } from '../contracts/env';
import type { Passage, SearchRequest } from '../kb/types';
import { ApiError } from '../contracts/errors';
import { searchKnowledge } from '../kb/search';
import { runTask } from '../pipeline/run-task';
import type { TaskContext } from '../pipeline/context';
import { stepContext } from '../pipeline/step-context';
import type { AgentOptions, ChatMessage, GenerationRequest } from '../providers/chat-types';
import type { Bot } from '../storage/bots';
import type { Conversation } from '../storage/conversations';
import { TASKS } from '../tasks/registry';
import type { ModerateResult } from '../tasks/moderate/schema';
import type { SentimentResult } from '../tasks/sentiment/schema';
import { immediateHandoff, retrievalConfidence, type HandoffReason } from './escalation';
import { capablePolicy, chatPolicy } from './generate';
import { chatModel, type AgentFeature } from '../tasks/chat/models';
import { buildPrompt, MAX_ANSWER_TOKENS } from './prompt';
import { redactPaymentData } from './redact';
import { offTopicMessage, plainlyWithinTopics, withinTopicsByMeaning } from './topics';

/** Passages retrieved per question (the prompt budget may keep fewer). */
export const RETRIEVED_PASSAGES = 6;
/** A message shorter than this (in words) is searched together with the previous user message. */
export const FOLLOW_UP_WORDS = 6;

/**
 * What to search for: the message, or for a short follow-up ("and for gift cards?") the previous
 * question with it — the follow-up alone names too little to find the right passages.
 */
export function retrievalQuery(message: string, previous: string | undefined): string {
  const words = message.split(/\s+/).filter(Boolean).length;
  return previous && words < FOLLOW_UP_WORDS ? `${previous}\n${message}` : message;
}

export const MODERATION_REFUSAL = "I'm sorry, but I can't help with that. If you have a question about our products or services, I'm happy to help.";

export type RefusalReason = 'moderation' | 'off_topic' | 'output_moderation';

/**
 * What an agent asked of a bot that allows it (POST /v1/chat/completions): functions and/or JSON
 * output, the features they need of the model, and the tool exchange since the question — the
 * assistant's calls and the tool results that answer them, which follow the question in the prompt.
 */
export interface TurnAgent {
  options: AgentOptions;
  features: AgentFeature[];
  toolTurns: ChatMessage[];
}

/** A turn after the guardrails, retrieval and escalation rules, ready to generate (or answered by a guardrail). */
export interface PreparedTurn {
  bot: Bot;
  conversation: Conversation | null;
  conversationId: string;
  question: string;
  /** A fixed answer instead of generation: a refusal or a handoff. */
  canned?: { content: string; refusal?: RefusalReason; handoff?: HandoffReason };
  /** An escalation rule that fired but still lets the bot answer first. */
  handoffAfter?: HandoffReason;
  request?: GenerationRequest;
  sources: { index: number; passage: Passage }[];
  /** What the guardrail steps cost so far. */
  costUsd: number;
  /** The context generation runs in: its own step id, the bot's provider order. */
  generationContext: TaskContext;
  /** Set for an agent's request (tools, JSON output). */
  agent?: TurnAgent;
}

/** Moderation categories that refuse a message. Personal data does not: customers give their e-mail to support. */
export const blocks = (result: ModerateResult) => result.flagged && result.categories.some((category) => !category.category.startsWith('pii.'));

export async function moderate(ctx: TaskContext, step: string, text: string): Promise<{ blocked: boolean; costUsd: number }> {
  if (!text.trim()) return { blocked: false, costUsd: 0 };
  const { envelope } = await runTask<ModerateResult>(stepContext(ctx, step), TASKS.moderate, { text: text.slice(0, 8_000) });
  return { blocked: blocks(envelope.results[0]!), costUsd: envelope.usage.cost_usd };
}

async function negativeSentiment(ctx: TaskContext, text: string, threshold: number): Promise<{ negative: boolean; costUsd: number }> {
  const { envelope } = await runTask<SentimentResult>(stepContext(ctx, 'sentiment'), TASKS.sentiment, { text });
  const result = envelope.results[0]!;
  return { negative: result.label === 'negative' && result.score >= threshold, costUsd: envelope.usage.cost_usd };
}

/**
 * The knowledge-base search, hybrid by default. When the query cannot be embedded (every provider
 * of the knowledge base's embedding model is down), keyword search — which needs no model — still
 * finds passages, so the bot answers instead of failing.
 */
async function retrieve(ctx: TaskContext, request: SearchRequest): Promise<Passage[]> {
  try {
    return await searchKnowledge(stepContext(ctx, 'retrieve'), request);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status < 502) throw error;
    return searchKnowledge(stepContext(ctx, 'retrieve-keyword'), { ...request, mode: 'keyword' });
  }
}

export interface TurnInput {
  bot: Bot;
  conversation: Conversation | null;
  conversationId: string;
  question: string;
  history: ChatMessage[];
  agent?: TurnAgent;
}

/**
 * Everything before generation, cheapest first so a refusal costs little: input moderation, the
 * escalation rules that need no model (a request for a person, a keyword), retrieval with the
 * sentiment rule beside it, the topic check, the retrieval-confidence rule, and the prompt.
 */
export async function prepareTurn(ctx: TaskContext, env: Bindings, input: TurnInput): Promise<PreparedTurn> {
  const { bot } = input;
  const question = redactPaymentData(input.question);
  const history = input.history.map((message) => ({ ...message, content: redactPaymentData(message.content) }));
  const model = bot.model ? chatModel(bot.model) : undefined;
  const policy = chatPolicy(env, ctx.policy, bot, model?.provider);
  // Tool results are text that arrives with the request like a message: payment data is redacted too.
  const agent = input.agent && { ...input.agent, toolTurns: input.agent.toolTurns.map((message) => ({ ...message, content: redactPaymentData(message.content) })) };
  const base = {
    bot,
    conversation: input.conversation,
    conversationId: input.conversationId,
    question,
    sources: [],
    // An agent's request is generated only by providers whose model has what it asks for.
    generationContext: { ...stepContext(ctx, 'generate'), policy: agent ? capablePolicy(env, policy, agent.features) : policy },
    ...(agent ? { agent } : {}),
  };
  const moderation = await moderate(ctx, 'moderate-input', question);
  let costUsd = moderation.costUsd;
  if (moderation.blocked) return { ...base, costUsd, canned: { content: MODERATION_REFUSAL, refusal: 'moderation' } };

  const immediate = immediateHandoff(question, bot.escalation);
  if (immediate) return { ...base, costUsd, canned: { content: '', handoff: immediate } };

  const previous = [...history].reverse().find((message) => message.role === 'user')?.content;
  const topics = bot.topics ?? [];
  const threshold = bot.escalation.on_negative_sentiment;
  const [passages, sentiment] = await Promise.all([
    retrieve(ctx, { kbIds: bot.knowledgeBases, query: retrievalQuery(question, previous), topK: RETRIEVED_PASSAGES }),
    threshold === null ? Promise.resolve(undefined) : negativeSentiment(ctx, question, threshold),
  ]);
  costUsd += sentiment?.costUsd ?? 0;
  // Topics are checked after retrieval: what the bot's own documents say about the message is the best evidence.
  if (topics.length > 0 && !plainlyWithinTopics(question, previous, topics) && !(await withinTopicsByMeaning(env, question, previous, topics, passages))) {
    return { ...base, costUsd, canned: { content: offTopicMessage(topics), refusal: 'off_topic' } };
  }
  const minScore = bot.escalation.min_retrieval_score;
  if (minScore !== null && retrievalConfidence(passages) < minScore) {
    return { ...base, costUsd, canned: { content: '', handoff: 'low_retrieval_confidence' } };
  }

  const prompt = buildPrompt({ botName: bot.name, instructions: bot.instructions, passages, history, question });
  return {
    ...base,
    costUsd,
    ...(sentiment?.negative ? { handoffAfter: 'negative_sentiment' as const } : {}),
    sources: prompt.sources.map(({ index, passage }) => ({ index, passage })),
    request: {
      messages: [...prompt.messages, ...(agent?.toolTurns ?? [])],
      max_tokens: MAX_ANSWER_TOKENS,
      question,
      sources: prompt.sources.map(({ source }) => source),
      ...agent?.options,
    },
  };
}
