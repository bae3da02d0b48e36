import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { fieldPath } from '../contracts/validation';
import type { AppEnv } from '../contracts/env';
import { ApiError, errorBody } from '../contracts/errors';
import { admitScoped } from '../admission/admit';
import { holdReservation } from '../pipeline/step-context';
import { apiKeyFormat } from '../http/api-key-format';
import { jsonBody } from '../http/json-body';
import { errorResponse, taskErrorResponses } from '../http/error-responses';
import type { ChatMessage } from '../providers/chat-types';
import { runStreamedTurn, runTurn } from './run-turn';
import { chatRequestSchema, chatResponseSchema, type ChatRequest } from './schema';
import { SSE_HEADERS, sseWriter } from './sse';
import { chatEstimate, startTurn, type TurnSource } from './start-turn';

/**
 * `message` or `messages`, exactly one. With `messages`, the last must be the user's and is the
 * question; the earlier user/assistant turns are the history (`system` messages are dropped: the
 * bot's own instructions are the system prompt).
 */
export function turnSource(input: Pick<ChatRequest, 'bot' | 'message' | 'messages' | 'conversation_id'>): TurnSource {
  if (input.message !== undefined && input.messages !== undefined) throw new ApiError(400, 'invalid_field', 'Send either "message" or "messages", not both', { param: 'messages' });
  const conversation = input.conversation_id ? { conversationId: input.conversation_id } : {};
  if (input.message !== undefined) return { bot: input.bot, question: input.message, ...conversation };
  if (!input.messages) throw new ApiError(400, 'missing_field', 'Send "message" (the customer\'s message) or "messages"', { param: 'message' });
  const last = input.messages.length - 1;
  const final = input.messages[last]!;
  if (final.role !== 'user' || !final.content.trim()) throw new ApiError(400, 'invalid_field', 'The last message must be a non-empty user message', { param: fieldPath('messages', last) });
  const history = input.messages.slice(0, last).filter((message): message is ChatMessage & { role: 'user' | 'assistant' } => message.role !== 'system');
  return { bot: input.bot, question: final.content.trim(), history, ...conversation };
}

const sseEvents =
  'Events, in order: `start` `{conversation_id, citations}` (every source in the prompt); `delta` `{content}` (zero or more; they add up to the final content); ' +
  '`handoff` `{reason, message}` when an escalation rule fired; `done` = the whole non-streamed response (its content is authoritative); ' +
  'or `error` `{error: {type, code, message, request_id}}` and the stream ends. A provider that fails before its first token is skipped silently; ' +
  'one that fails mid-stream is continued by the next (a model continues the partial answer; the local tier appends the quoted passages).';

export function registerChatRoute(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/chat',
      tags: ['chat'],
      summary: "One turn of a customer-service conversation, grounded in the bot's knowledge bases",
      description:
        'Moderates the message, checks the bot\'s topics and escalation rules, retrieves passages, answers within the prompt budget with citations `[n]` ' +
        'that map to `citations[].index`, moderates the answer and stores the turn. Without a language model (the local tier) it quotes the best passages ' +
        `and says so (\`mode: "quoted"\`). Needs the \`chat\` scope; publishable keys may chat. With \`stream: true\`: Server-Sent Events. ${sseEvents} ` +
        'Errors before the stream starts (validation, key, budget, unknown bot or conversation) are JSON errors with a status.',
      security: [{ apiKey: [] }],
      middleware: [apiKeyFormat(), jsonBody()] as const,
      request: { body: { required: true, content: { 'application/json': { schema: chatRequestSchema } } } },
      responses: {
        200: {
          description: 'The answer (or, with `stream: true`, the event stream)',
          content: { 'application/json': { schema: chatResponseSchema }, 'text/event-stream': { schema: { type: 'string' } } },
        },
        ...taskErrorResponses,
        404: errorResponse('No such bot or conversation (or it expired)'),
      },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const source = turnSource(input);
      const { steps: ctx, release } = holdReservation(await admitScoped(c, 'chat', chatEstimate(c.env, source.question)));
      let turn;
      try {
        turn = await startTurn(c, ctx, source);
        if (!input.stream) {
          const response = await runTurn(ctx, turn).finally(release);
          c.header('x-minnow-provider', response.provider);
          c.header('x-minnow-model', response.model);
          c.header('x-minnow-cost-usd', String(response.usage.cost_usd));
          return c.json(response, 200);
        }
      } catch (error) {
        release();
        throw error;
      }
      const sse = sseWriter();
      const work = runStreamedTurn(ctx, turn, {
        start: (conversationId, citations) => sse.send('start', { conversation_id: conversationId, citations }),
        delta: (content) => sse.send('delta', { content }),
        handoff: (handoff) => sse.send('handoff', handoff),
        done: (response) => sse.send('done', response),
        error: (error) => sse.send('error', errorBody(error, ctx.requestId)),
        clientGone: sse.clientGone,
      }).finally(() => {
        release();
        return sse.close();
      });
      c.executionCtx.waitUntil(work);
      return c.body(sse.readable, 200, SSE_HEADERS) as never;
    },
  );
}
