import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../contracts/env';
import { ApiError, errorBody } from '../contracts/errors';
import { admitScoped, authenticate } from '../admission/admit';
import { holdReservation } from '../pipeline/step-context';
import { apiKeyFormat } from '../http/api-key-format';
import { jsonBody } from '../http/json-body';
import { errorResponse, taskErrorResponses } from '../http/error-responses';
import type { TaskContext } from '../pipeline/context';
import type { ChatMessage, ToolCall } from '../providers/chat-types';
import { estimateTokens } from '../providers/pricing';
import { cachedModelAliases, describeAliases } from '../storage/model-aliases';
import { chatModel, chatModels, generativeChatModel } from '../tasks/chat/models';
import { plainChat } from './plain-chat';
import { runStreamedTurn, runTurn } from './run-turn';
import { MAX_MESSAGE_CHARS, MAX_MESSAGES } from './schema';
import { agentOptionsOf, MAX_TOOLS, promptMessage, refuseForBot, refuseUnsupported, responseFormatSchema, toolCallSchema, toolChoiceSchema, toolSchema, wanted } from './agent-request';
import { botSource, fromTurn, type Completed } from './bot-completion';
import type { TurnResponse } from './finish';
import { SSE_HEADERS, sseWriter } from './sse';
import { chatEstimate, startTurn } from './start-turn';
import { PROMPT_BUDGET_TOKENS } from './prompt';
import { promptTokens } from '../tasks/chat/task';
import { ignoredOpenAiParameters, refusedOpenAiParameters } from './openai-parameters';

/** OpenAI content: a string, or text parts (other part types are not supported). */
const contentSchema = z.union([z.string().max(MAX_MESSAGE_CHARS), z.array(z.object({ type: z.literal('text'), text: z.string().max(MAX_MESSAGE_CHARS) }).loose()).max(20)]);

const completionRequestSchema = z
  .object({
    model: z
      .string()
      .min(1)
      .max(200)
      .openapi({ description: "A bot id (`bot_…`: grounded in its knowledge bases), a chat model from GET /v1/models (plain chat), or one of the tenant's model aliases of either (`gpt-4o-mini` → …)" }),
    messages: z
      .array(
        z
          .object({
            role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']),
            content: contentSchema.nullish(),
            tool_calls: z.array(toolCallSchema).max(MAX_TOOLS).optional().openapi({ description: 'An assistant turn: the functions it called' }),
            tool_call_id: z.string().min(1).max(100).optional().openapi({ description: 'A `tool` turn: the call whose result `content` is' }),
          })
          .loose(),
      )
      .min(1)
      .max(MAX_MESSAGES),
    tools: z.array(toolSchema).max(MAX_TOOLS).optional().openapi({ description: 'Functions the model may call (chat models that support them; a bot only when its `agent.tools` is on)' }),
    tool_choice: toolChoiceSchema.optional(),
    parallel_tool_calls: z.boolean().nullable().optional().openapi({ description: 'false: at most one tool call per answer' }),
    response_format: responseFormatSchema.optional(),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).loose().nullable().optional(),
    max_tokens: z.number().int().positive().nullable().optional(),
    max_completion_tokens: z.number().int().positive().nullable().optional(),
    // Several choices would each be a whole answer (and cost); accepting n > 1 and sending one would drop what was asked.
    n: z.number().int().min(1).max(1, 'only 1 is supported: minnow answers with one choice').nullable().optional().openapi({ description: 'Choices to return: only 1' }),
    conversation_id: z.string().min(1).max(64).optional().openapi({ description: 'minnow extension (bots): continue a stored conversation' }),
    ...ignoredOpenAiParameters,
    ...refusedOpenAiParameters,
  })
  // A field OpenAI does not define is refused (400 unknown_field), as OpenAI refuses it: a typo'd
  // parameter silently ignored would look honoured.
  .strict()
  .openapi('ChatCompletionRequest', { example: { model: 'bot_3fKq9', messages: [{ role: 'user', content: 'How long do refunds take?' }] } });

const completionSchema = z
  .object({
    id: z.string(),
    object: z.literal('chat.completion'),
    created: z.number().int(),
    model: z.string().openapi({ description: 'The bot id or model asked for' }),
    choices: z.array(
      z.object({
        index: z.number().int(),
        message: z.object({
          role: z.literal('assistant'),
          content: z.string().nullable().openapi({ description: 'null when the answer is only tool calls, or a JSON-mode refusal' }),
          refusal: z.string().nullable().openapi({ description: 'JSON mode: why minnow refused the answer (moderation) instead of content' }),
          tool_calls: z.array(toolCallSchema).optional(),
        }),
        logprobs: z.null(),
        finish_reason: z.enum(['stop', 'tool_calls']),
      }),
    ),
    usage: z.object({ prompt_tokens: z.number().int(), completion_tokens: z.number().int(), total_tokens: z.number().int() }),
    minnow: z.record(z.string(), z.unknown()).openapi({ description: 'minnow extension: conversation_id, citations, handoff, refusal, mode, model, provider, cost_usd' }),
  })
  .openapi('ChatCompletion');

type CompletionRequest = z.infer<typeof completionRequestSchema>;

const textOf = (content: CompletionRequest['messages'][number]['content']) => (typeof content === 'string' ? content : (content ?? []).map((part) => part.text).join('\n'));

function messagesOf(request: CompletionRequest): ChatMessage[] {
  return request.messages.map((message) => promptMessage(message, textOf(message.content)));
}

/**
 * The bot or chat model `name` means: itself, or what the tenant's alias of that name points at. Only
 * a name that is neither a bot id nor a chat model costs a look-up (the key's tenant, then its
 * aliases, both remembered in the isolate).
 */
async function targetOf(c: Context<AppEnv>, name: string): Promise<string> {
  if (name.startsWith('bot_') || generativeChatModel(name)) return name;
  const aliases = await cachedModelAliases(c.env.DB, (await authenticate(c)).tenantId);
  const alias = aliases.find((entry) => entry.alias === name);
  if (alias?.kind === 'chat') return alias.target;
  if (alias) throw new ApiError(400, 'invalid_field', `${name} is an alias of ${alias.target}, an embedding model: use it with POST /v1/embeddings`, { param: 'model' });
  const chatAliases = aliases.filter((entry) => entry.kind === 'chat');
  const writers = chatModels.filter((model) => generativeChatModel(model.id)).map((model) => model.id);
  throw new ApiError(
    404,
    'model_not_found',
    `No bot, chat model or model alias ${name}; the tenant's chat aliases: ${describeAliases(chatAliases)}; chat models: ${writers.join(', ')}; or a bot id (bot_…) ` +
      '(an operator adds an alias with PUT /admin/tenants/:id/model-aliases/:alias)',
    { param: 'model' },
  );
}

const completionId = (requestId: string) => `chatcmpl-${requestId.replace(/[^A-Za-z0-9]/g, '')}`;

const wireToolCall = ({ id, name, arguments: args }: ToolCall) => ({ id, type: 'function' as const, function: { name, arguments: args } });
const finishReason = (done: Completed) => (done.toolCalls?.length ? ('tool_calls' as const) : ('stop' as const));

/**
 * `model` is what served the name: an alias's target (a chat model or a bot id), as OpenAI answers
 * `gpt-4o` with `gpt-4o-2024-08-06` and as `/v1/embeddings` answers an alias; streamed chunks say
 * the same. `minnow.model` names the model that wrote the words.
 */
function completion(ctx: TaskContext, model: string, done: Completed) {
  const calls = done.toolCalls?.length ? { tool_calls: done.toolCalls.map(wireToolCall) } : {};
  const content = done.refusal !== undefined || (calls.tool_calls && !done.content) ? null : done.content;
  return {
    id: completionId(ctx.requestId),
    object: 'chat.completion' as const,
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant' as const, content, refusal: done.refusal ?? null, ...calls }, logprobs: null, finish_reason: finishReason(done) }],
    usage: { prompt_tokens: done.promptTokens, completion_tokens: done.completionTokens, total_tokens: done.promptTokens + done.completionTokens },
    minnow: done.minnow,
  };
}

/** Argument text per streamed tool-call delta: clients join the fragments, as they do OpenAI's. */
const ARGUMENT_FRAGMENT_CHARS = 24;

/**
 * Streams OpenAI `chat.completion.chunk`s: role first, content deltas, then each tool call as
 * OpenAI streams it (a first delta with index, id, type and function name, then its arguments in
 * fragments), a final chunk with the finish reason, usage if asked, `[DONE]`. Content nobody
 * streamed (a guardrail's answer) is sent as one delta before the end.
 */
function streamCompletion(c: Context<AppEnv>, ctx: TaskContext, request: CompletionRequest, model: string, release: () => void, produce: (delta: (content: string) => Promise<void>, clientGone: AbortSignal) => Promise<Completed>) {
  const sse = sseWriter();
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
    sse.send(null, { id: completionId(ctx.requestId), object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra });
  const work = (async () => {
    try {
      await chunk({ role: 'assistant', content: '' }, null);
      let streamed = false;
      const done = await produce(async (content) => {
        streamed ||= content.length > 0;
        await chunk({ content }, null);
      }, sse.clientGone);
      if (done.refusal !== undefined) await chunk({ refusal: done.refusal }, null);
      else if (!streamed && done.content) await chunk({ content: done.content }, null);
      for (const [index, call] of (done.toolCalls ?? []).entries()) {
        await chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }, null);
        for (let at = 0; at < call.arguments.length; at += ARGUMENT_FRAGMENT_CHARS) {
          await chunk({ tool_calls: [{ index, function: { arguments: call.arguments.slice(at, at + ARGUMENT_FRAGMENT_CHARS) } }] }, null);
        }
      }
      await chunk({}, finishReason(done), { minnow: done.minnow });
      if (request.stream_options?.include_usage) {
        await sse.send(null, {
          id: completionId(ctx.requestId), object: 'chat.completion.chunk', created, model, choices: [],
          usage: { prompt_tokens: done.promptTokens, completion_tokens: done.completionTokens, total_tokens: done.promptTokens + done.completionTokens },
        });
      }
      await sse.send(null, '[DONE]');
    } catch (error) {
      // OpenAI clients raise an API error for a data event carrying `error`.
      const apiError = error instanceof ApiError ? error : new ApiError(500, 'internal_error', 'Something went wrong on our side; quote the request id if you contact us');
      await sse.send(null, errorBody(apiError, ctx.requestId));
    } finally {
      release();
      await sse.close();
    }
  })();
  c.executionCtx.waitUntil(work);
  return c.body(sse.readable, 200, SSE_HEADERS);
}

export function registerCompletionsRoute(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/chat/completions',
      tags: ['chat'],
      summary: 'OpenAI-compatible chat completions: a bot (grounded) or a chat model (plain, with tools and JSON output)',
      description:
        '`model` = a bot id (`bot_…`) runs the bot\'s whole turn — guardrails, retrieval, citations, escalation — on the client\'s `messages` ' +
        '(client `system` messages are dropped: the bot\'s instructions rule); each call is stored as a conversation (send `conversation_id` to continue one). ' +
        '`model` = a chat model id from GET /v1/models (not the local quoting model) is plain chat with that model only, moderated in and out, nothing stored. ' +
        "`model` = one of the tenant's model aliases (`gpt-4o-mini`, set by an operator) is the bot or chat model it points at. " +
        "The answer's `model` (and every chunk's) is what served the name, as OpenAI's is: an alias's target, the chat model or the bot id. " +
        'Any other name is a 404 `model_not_found` naming the aliases and chat models there are. ' +
        'minnow\'s extras (conversation_id, citations, handoff, mode, cost) are in a `minnow` field. Sampling parameters are ignored. ' +
        'Streams OpenAI chunks and `data: [DONE]`; an error after the stream started is a `data: {"error": …}` event. ' +
        'Agents: `tools` / `tool_choice` / `parallel_tool_calls` and `response_format` (`json_object`, `json_schema`) work with the chat models that support them ' +
        '(a 400 `unsupported_parameter` names them; the local tier refuses them, and a bot unless it enables them with `agent` — its answer stays grounded and cited); ' +
        'tool calls come back in OpenAI\'s shape with `finish_reason: "tool_calls"`, streamed as OpenAI deltas (text live, each call once whole and checked); ' +
        'send results back as `role: "tool"` messages with `tool_call_id`. minnow checks the output (JSON parses; a `strict` schema or function validates; ' +
        'a required call was made) and answers 502 `invalid_model_output` rather than pass on an answer that breaks the request — mid-stream, an error event. Needs the `chat` scope.',
      security: [{ apiKey: [] }],
      middleware: [apiKeyFormat(), jsonBody()] as const,
      request: { body: { required: true, content: { 'application/json': { schema: completionRequestSchema } } } },
      responses: {
        200: { description: 'A `chat.completion`, or with `stream: true` an event stream of `chat.completion.chunk`s', content: { 'application/json': { schema: completionSchema }, 'text/event-stream': { schema: { type: 'string' } } } },
        ...taskErrorResponses,
        404: errorResponse('No such bot or model'),
      },
    }),
    async (c) => {
      const request = c.req.valid('json');
      const agent = agentOptionsOf(request);
      const messages = messagesOf(request);
      const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
      // The local tier is no model plain chat can name, but asked for tools it says why it cannot.
      if (chatModel(request.model)?.provider === 'local') refuseUnsupported(request, request.model);
      const target = await targetOf(c, request.model);
      refuseUnsupported(request, target);
      const jsonMode = agent.response_format !== undefined;
      if (target.startsWith('bot_')) {
        const wants = wanted(request);
        const source = botSource(request, target, messages, agent, [...new Set(wants.map(({ feature }) => feature))]);
        // The bot's prompt is budgeted; what an agent adds to it (functions, schema, tool turns) is not.
        const added = source.agent ? promptTokens({ messages: source.agent.toolTurns, max_tokens: 0, question: '', sources: [], ...agent }) : 0;
        const { steps: ctx, release } = holdReservation(await admitScoped(c, 'chat', chatEstimate(c.env, source.question, PROMPT_BUDGET_TOKENS + added)));
        let turn;
        try {
          turn = await startTurn(c, ctx, source, wants.length > 0 ? (bot) => refuseForBot(request, bot) : undefined);
          if (!request.stream) return c.json(completion(ctx, target, fromTurn(await runTurn(ctx, turn).finally(release), jsonMode)), 200) as never;
        } catch (error) {
          release();
          throw error;
        }
        const prepared = turn;
        // JSON is only checkable whole: asked unstreamed, sent in one delta (as for plain chat).
        if (jsonMode) return streamCompletion(c, ctx, request, target, release, async () => fromTurn(await runTurn(ctx, prepared), jsonMode)) as never;
        return streamCompletion(c, ctx, request, target, release, async (delta, clientGone) => {
          let done: TurnResponse | undefined;
          let failure: ApiError | undefined;
          await runStreamedTurn(ctx, prepared, { start: async () => {}, delta, handoff: async () => {}, done: async (response) => void (done = response), error: async (error) => void (failure = error), clientGone });
          if (!done) throw failure ?? new ApiError(500, 'internal_error', 'The turn ended without an answer');
          return fromTurn(done, jsonMode);
        }) as never;
      }
      const model = generativeChatModel(target);
      if (!model) throw new ApiError(404, 'model_not_found', `The alias ${request.model} points at ${target}, which is no longer a chat model that writes answers`, { param: 'model' });
      const question = [...messages].reverse().find((message) => message.role === 'user')?.content ?? '';
      if (!question.trim()) throw new ApiError(400, 'invalid_field', 'At least one user message with text is needed', { param: 'messages' });
      const { steps: ctx, release } = holdReservation(await admitScoped(c, 'chat', chatEstimate(c.env, question, promptTokens({ messages, max_tokens: 0, question, sources: [], ...agent }))));
      const plainCompleted = (result: Awaited<ReturnType<typeof plainChat>>): Completed => ({
        // OpenAI answers a refused structured output in `refusal`, not as content that is not JSON.
        ...(result.refused && jsonMode ? { content: '', refusal: result.content } : { content: result.content }),
        ...(result.toolCalls ? { toolCalls: result.toolCalls } : {}),
        promptTokens: result.answer?.promptTokens ?? messages.reduce((sum, message) => sum + estimateTokens(message.content), 0),
        completionTokens: result.answer?.completionTokens ?? estimateTokens(result.content),
        minnow: { mode: 'generated', provider: result.answer?.provider ?? 'local', model: result.answer?.model ?? model.id, cost_usd: result.costUsd, ...(result.refused ? { refusal: { reason: 'moderation' } } : {}) },
      });
      if (!request.stream) {
        const answer = await plainChat(ctx, model, messages, maxTokens, undefined, agent).finally(release);
        return c.json(completion(ctx, target, plainCompleted(answer)), 200) as never;
      }
      return streamCompletion(c, ctx, request, target, release, async (delta) => plainCompleted(await plainChat(ctx, model, messages, maxTokens, delta, agent))) as never;
    },
  );
}
