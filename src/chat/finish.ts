import type { Bindings } from '../contracts/env';
import type { TaskContext } from '../pipeline/context';
import { estimateTokens } from '../providers/pricing';
import { recordTurn, type StoredCitation } from '../storage/conversations';
import { emitTenantEvent } from '../tenant-events/emit';
import { citationOf, citedIndexes, filterCitations } from './citations';
import { HANDOFF_MESSAGES, type HandoffReason } from './escalation';
import type { ChatMessage, ToolCall } from '../providers/chat-types';
import type { GeneratedAnswer } from './generate';
import { redactPii } from './redact';
import type { ChatResponse } from './schema';
import { moderate, type PreparedTurn, type RefusalReason } from './turn';

/** Conversations are kept this long after their last message unless CONVERSATION_RETENTION_DAYS says otherwise. */
export const DEFAULT_RETENTION_DAYS = 30;
/** Messages kept per conversation (50 turns); older ones are deleted as new ones arrive. */
export const MAX_KEPT_MESSAGES = 100;
/** The model named for answers no model wrote (guardrail refusals, handoffs). */
export const GUARDRAIL_MODEL = 'minnow/guardrails';
export const OUTPUT_REFUSAL = "I'm sorry, I can't share that answer. Could you rephrase your question, or ask to talk to a person?";
/** How much of a round's tool results the transcript keeps as that round's input. */
const MAX_STORED_INPUT_CHARS = 8_000;
/** How much of the customer's last message a handoff notification carries (redacted). */
const NOTIFIED_MESSAGE_CHARS = 500;

export function retentionDays(env: Bindings): number {
  const days = Number(env.CONVERSATION_RETENTION_DAYS);
  return Number.isFinite(days) && days > 0 ? days : DEFAULT_RETENTION_DAYS;
}

/** A finished turn; `toolCalls` when an agent's bot turn answered with function calls. */
export type TurnResponse = ChatResponse & { toolCalls?: ToolCall[] };

/** How an agent turn's calls are kept in the transcript, and a round's tool results as its input. */
const renderCalls = (calls: ToolCall[]) => calls.map((call) => `[tool call ${call.name}] ${call.arguments}`).join('\n');
const renderResults = (turns: ChatMessage[]) => turns.filter((message) => message.role === 'tool').map((message) => `[tool result ${message.tool_call_id}] ${message.content}`).join('\n');

/**
 * After generation: output moderation (generated answers only — quoted passages are the tenant's
 * own text), the handoff message, the citations the answer used, the stored turn and, when the
 * conversation is newly handed off, the `conversation.handoff` event. `answer` is null when a
 * guardrail answered; its text must already be citation-filtered.
 *
 * An agent's turn (tools, JSON output) differs in three ways: a function call's arguments are
 * moderated with the text (a flagged answer drops the calls); an answer that calls functions cites
 * nothing yet — the calls are not claims from the sources, and the round that brings their results
 * back is grounded and cited as usual; and the handoff notice is not added to generated content
 * that is JSON or a call (it is in `handoff`), since it would break what the agent parses.
 */
export async function finishTurn(ctx: TaskContext, turn: PreparedTurn, answer: GeneratedAnswer | null): Promise<TurnResponse> {
  const { env } = ctx;
  let content = answer ? answer.text : (turn.canned?.content ?? '');
  let toolCalls = answer?.toolCalls;
  let refusal: RefusalReason | undefined = turn.canned?.refusal;
  let costUsd = turn.costUsd + (answer?.cost.cost_usd ?? 0);
  if (answer?.mode === 'generated') {
    const written = [content, ...(toolCalls ?? []).map((call) => call.arguments)].filter(Boolean).join('\n');
    const output = await moderate(ctx, 'moderate-output', written);
    costUsd += output.costUsd;
    if (output.blocked) {
      content = OUTPUT_REFUSAL;
      toolCalls = undefined;
      refusal = 'output_moderation';
    }
  }
  const structured = Boolean(answer && !refusal && (toolCalls?.length || turn.request?.response_format));
  const handoffReason: HandoffReason | undefined = turn.canned?.handoff ?? turn.handoffAfter;
  const handoff = handoffReason ? { reason: handoffReason, message: turn.bot.escalation.handoff_message ?? HANDOFF_MESSAGES[handoffReason] } : undefined;
  if (handoff && !structured) content = content ? `${content}\n\n${handoff.message}` : handoff.message;

  const byIndex = new Map(turn.sources.map(({ index, passage }) => [index, passage]));
  const citations: StoredCitation[] = refusal || toolCalls?.length ? [] : citedIndexes(content).flatMap((index) => (byIndex.has(index) ? [citationOf(index, byIndex.get(index)!)] : []));
  // A round that brings tool results back has them as its input, not the question again.
  const toolResults = turn.agent ? renderResults(turn.agent.toolTurns) : '';

  const now = new Date();
  const conversation = turn.conversation;
  await recordTurn(env.DB, {
    conversation: conversation
      ? { ...conversation, isNew: false }
      : { id: turn.conversationId, tenantId: ctx.policy.tenantId, botId: turn.bot.id, keyId: ctx.keyId, isNew: true },
    user: (toolResults || turn.question).slice(0, MAX_STORED_INPUT_CHARS),
    assistant: toolCalls?.length ? [content, renderCalls(toolCalls)].filter(Boolean).join('\n') : content,
    citations,
    handoffReason: handoffReason ?? null,
    now: now.toISOString(),
    expiresAt: new Date(now.getTime() + retentionDays(env) * 86_400_000).toISOString(),
    maxMessages: MAX_KEPT_MESSAGES,
  });
  if (handoff && !conversation?.handoffReason) {
    // Webhook payloads leave minnow: personal data in the customer's words is redacted.
    await emitTenantEvent(env, ctx.policy.tenantId, 'conversation.handoff', {
      conversation_id: turn.conversationId,
      bot_id: turn.bot.id,
      reason: handoff.reason,
      last_message: redactPii(turn.question).slice(0, NOTIFIED_MESSAGE_CHARS),
      handed_off_at: now.toISOString(),
    });
  }

  return {
    id: ctx.requestId,
    object: 'chat.response',
    conversation_id: turn.conversationId,
    bot: turn.bot.id,
    message: { role: 'assistant', content },
    ...(toolCalls?.length ? { toolCalls } : {}),
    citations,
    ...(handoff ? { handoff } : {}),
    ...(refusal ? { refusal: { reason: refusal } } : {}),
    mode: answer?.mode ?? 'quoted',
    model: answer?.model ?? GUARDRAIL_MODEL,
    provider: answer?.provider ?? 'local',
    ...(answer && answer.fallbackFrom.length > 0 ? { fallback_from: answer.fallbackFrom } : {}),
    ...(answer && answer.continuedBy.length > 0 ? { continued_by: answer.continuedBy } : {}),
    usage: {
      cost_usd: Number(costUsd.toPrecision(12)),
      prompt_tokens: answer?.promptTokens ?? 0,
      completion_tokens: answer?.completionTokens ?? estimateTokens(content),
    },
  };
}

export const validCitations = (turn: PreparedTurn): Set<number> => new Set(turn.sources.map(({ index }) => index));

/**
 * A non-streamed answer with invented citation numbers removed, as the streamed path filters them.
 * Not a JSON answer: `[9]` there may be an array, and the document was checked as it stands.
 */
export const withFilteredCitations = (answer: GeneratedAnswer, turn: PreparedTurn): GeneratedAnswer =>
  turn.request?.response_format ? answer : { ...answer, text: filterCitations(answer.text, validCitations(turn)) };
