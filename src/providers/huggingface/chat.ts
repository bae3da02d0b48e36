import { chatCompletion, chatCompletionStream, InferenceClientProviderApiError, type Options } from '@huggingface/inference';
import { CHAT_TEMPERATURE, type ChatMessage, type GenerationRequest, type GenerationResult, type ToolCall } from '../chat-types';
import { ApiError } from '../../contracts/errors';
import { checkStructuredOutput } from '../structured-output';
import { ToolCallAssembler, type ToolCallFragment } from '../tool-call-stream';
import type { ProviderCall, TaskProvider } from '../types';
import { malformedUpstreamResponse, upstreamError, withTimeout } from '../upstream-errors';
import { mapHuggingFaceError, reshapingFetch, resolveChatEndpoint, type UpstreamHints } from './transport';

export const HF_CHAT_MODEL = 'meta-llama/Llama-3.2-1B-Instruct';

/**
 * A prompt turn in OpenAI's wire shape (HF-spec chat-completion input: `tool_calls: [{id, type,
 * function: {name, arguments}}]` on an assistant turn, `tool_call_id` on a tool result).
 */
function wireMessage(message: ChatMessage) {
  const { role, content, tool_calls: calls, tool_call_id: answers } = message;
  if (role === 'tool') return { role, content, tool_call_id: answers };
  if (calls?.length) return { role, content, tool_calls: calls.map(({ id, name, arguments: args }) => ({ id, type: 'function', function: { name, arguments: args } })) };
  return { role, content };
}

/**
 * Tools, tool_choice and response_format as OpenAI sends them: the router's
 * `/v1/chat/completions` and TGI/vLLM endpoints take that shape (HF-spec chat-completion input.json:
 * `tools[{type, function{name, description, parameters}}]`, `tool_choice` "auto"|"none"|"required"|
 * `{function: {name}}`, `response_format` `{type: "json_object"}` or `{type: "json_schema",
 * json_schema: {name, schema, strict}}`).
 */
function agentFields(item: GenerationRequest): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (item.tools?.length) {
    fields.tools = item.tools.map(({ name, description, parameters }) => ({ type: 'function', function: { name, ...(description ? { description } : {}), parameters: parameters ?? { type: 'object', properties: {} } } }));
    const choice = item.tool_choice ?? 'auto';
    fields.tool_choice = typeof choice === 'object' ? { type: 'function', function: { name: choice.name } } : choice;
  }
  const format = item.response_format;
  if (format) fields.response_format = format.type === 'json_schema' ? { type: 'json_schema', json_schema: { name: format.name, schema: format.schema, strict: format.strict } } : { type: 'json_object' };
  return fields;
}

const body = (item: GenerationRequest) => ({ messages: item.messages.map(wireMessage), max_tokens: item.max_tokens, temperature: CHAT_TEMPERATURE, ...agentFields(item) });

/**
 * The answer's tool calls. OpenAI's shape has `arguments` as a JSON string; TGI's Messages API
 * has answered an object there (huggingface/text-generation-inference issues #2461, #2136), so an
 * object is re-serialised.
 */
function toolCallsOf(raw: unknown): ToolCall[] {
  if (!Array.isArray(raw)) return [];
  return raw.map((entry) => {
    const call = (entry ?? {}) as { id?: unknown; function?: { name?: unknown; arguments?: unknown } };
    const name = call.function?.name;
    if (typeof name !== 'string' || !name || typeof call.id !== 'string') throw malformedUpstreamResponse('huggingface', 'a tool call lacks its id or function name');
    const args = call.function?.arguments;
    return { id: call.id, name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) };
  });
}

/**
 * A chunk's `delta.tool_calls`: per call, a first delta with `index`, `id`, `type` and
 * `function.name`, then `{index, function: {arguments}}` fragments (HF-spec chat-completion
 * stream_output.json, OpenAI's format; TGI sends `id` on each delta, possibly empty). A lone
 * object instead of a list is read as a one-item list rather than dropped.
 */
function streamedCalls(raw: unknown): ToolCallFragment[] {
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : [];
  return list.map((entry) => {
    const call = (entry ?? {}) as { index?: unknown; id?: unknown; function?: { name?: unknown; arguments?: unknown } };
    return {
      index: typeof call.index === 'number' ? call.index : null,
      id: typeof call.id === 'string' ? call.id : null,
      name: typeof call.function?.name === 'string' ? call.function.name : null,
      arguments: call.function?.arguments,
    };
  });
}

/** The router's name for a tenant endpoint whose model the tenant did not name (router.ts). */
const UNNAMED_ENDPOINT_MODEL = /^hf-endpoint:/;

/** What a chat call sees beyond the client's view: Retry-After, and whether the stream ended with `[DONE]`. */
interface ChatHints extends UpstreamHints {
  done?: boolean;
}

/**
 * The fetch the client uses for chat. Two things the client cannot be told:
 * - `omitModel`: the client always puts a `model` in the body (the caller's, else the endpoint
 *   URL). A tenant endpoint with no model named gets none: TGI ignores the field and vLLM serves
 *   its own model when the field is absent, but answers 404 to a name it does not serve (such as
 *   minnow's `hf-endpoint:<host>` label or a URL).
 * - `[DONE]`: the client ends the stream quietly when the connection closes, with or without the
 *   terminator, so the bytes are watched here to tell a finished answer from a cut one.
 */
function chatFetch(seen: ChatHints, omitModel: boolean): typeof fetch {
  const inner = reshapingFetch(seen);
  return async (input, init) => {
    let sent = init;
    if (omitModel && typeof init?.body === 'string') {
      const { model: _unused, ...rest } = JSON.parse(init.body) as Record<string, unknown>;
      sent = { ...init, body: JSON.stringify(rest) };
    }
    const response = await inner(input, sent);
    if (!response.body || !response.headers.get('content-type')?.startsWith('text/event-stream')) return response;
    const decoder = new TextDecoder();
    let tail = '';
    const watch = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        tail = (tail + decoder.decode(chunk, { stream: true })).slice(-64);
        if (/(^|\n)data: ?\[DONE\]\s*(\n|$)/.test(tail)) seen.done = true;
        controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(watch), { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

/**
 * A mid-stream `{"error": …}` event reaches us as a ProviderApiError carrying the stream's own
 * 200 status; it is an upstream failure all the same.
 */
function mapStreamError(error: unknown, signal: AbortSignal, seen: UpstreamHints) {
  if (error instanceof InferenceClientProviderApiError && error.httpResponse.status < 400) {
    return upstreamError('huggingface', 502, `the stream broke: ${error.message.replace(/^Failed to perform inference: /, '').slice(0, 300)}`);
  }
  return mapHuggingFaceError(error, signal, seen.retryAfterSeconds);
}

/** Endpoint, token, the model to name, and the client options for one chat call. */
function chatCall(call: ProviderCall<GenerationRequest, unknown>, seen: ChatHints) {
  const { url, token, viaEndpoint } = resolveChatEndpoint(call);
  const omitModel = viaEndpoint && UNNAMED_ENDPOINT_MODEL.test(call.model);
  const options: Options = { retry_on_error: false, signal: call.signal, fetch: chatFetch(seen, omitModel) };
  return { args: { accessToken: token, endpointUrl: url, model: call.model }, options };
}

/**
 * Hugging Face chat completion (OpenAI format, UPSTREAMS.md §2.2–2.3): the tenant's endpoint or a
 * deployment endpoint for `chat` (`<endpoint>/v1/chat/completions`), else the router's
 * OpenAI-compatible `/v1/chat/completions` with the model in the body.
 */
export const huggingFaceChat: TaskProvider<GenerationRequest, GenerationResult> = {
  provider: 'huggingface',
  model: HF_CHAT_MODEL,
  async run(call) {
    return Promise.all(
      call.items.map(async (item) => {
        const seen: ChatHints = {};
        const { args, options } = chatCall(call, seen);
        let output;
        try {
          output = await withTimeout('huggingface', call.signal, chatCompletion({ ...args, ...body(item) }, options));
        } catch (error) {
          throw mapHuggingFaceError(error, call.signal, seen.retryAfterSeconds);
        }
        const message = output?.choices?.[0]?.message;
        const toolCalls = toolCallsOf(message?.tool_calls);
        const text = message?.content ?? (toolCalls.length > 0 ? '' : undefined);
        if (typeof text !== 'string') throw malformedUpstreamResponse('huggingface', 'expected choices[0].message.content');
        const usage = output.usage;
        const result: GenerationResult = {
          text,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          ...(usage ? { usage: { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens } } : {}),
        };
        return checkStructuredOutput('huggingface', item, result);
      }),
    );
  },
  async *stream(call: ProviderCall<GenerationRequest, unknown>) {
    const seen: ChatHints = {};
    const item = call.items[0]!;
    const { args, options } = chatCall(call, seen);
    const calls = new ToolCallAssembler('huggingface', item);
    try {
      for await (const chunk of chatCompletionStream({ ...args, ...body(item) }, options)) {
        const delta = chunk?.choices?.[0]?.delta;
        if (typeof delta?.content === 'string' && delta.content) yield delta.content;
        for (const fragment of streamedCalls(delta?.tool_calls)) for (const toolCall of calls.push(fragment)) yield { toolCall };
      }
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw mapStreamError(error, call.signal, seen);
    }
    // A stream cut without its terminator is a truncated answer, not a finished one (as on Workers AI).
    if (!seen.done) throw upstreamError('huggingface', 502, 'the stream ended before [DONE]');
    for (const toolCall of calls.finish()) yield { toolCall };
  },
};
