import { z } from 'zod';
import { CHAT_TEMPERATURE, type GenerationRequest, type GenerationResult } from '../chat-types';
import { sseData } from '../chat-sse';
import { checkStructuredOutput, invalidModelOutput } from '../structured-output';
import type { TaskProvider } from '../types';
import { malformedUpstreamResponse, upstreamError } from '../upstream-errors';
import { responseText } from './response-text';
import { mapWorkersAiError, runWorkersAi } from './transport';
import { agentInputs, toolCallsOf } from './tools';

export const WORKERS_AI_CHAT_MODEL = '@cf/meta/llama-3.2-1b-instruct';

const instructResponse = z.object({
  // A string, or a number or object the binding parsed from the answer (response-text.ts); null or
  // absent when the model only called functions (cloudflare/ai workers-ai-provider utils.ts processText).
  response: z.union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.unknown()), z.array(z.unknown())]).nullable().optional(),
  tool_calls: z.array(z.unknown()).nullable().optional(),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).partial().optional(),
});

/**
 * One streamed event, in either format the binding emits (UPSTREAMS.md §1.3): native
 * `{"response": "…"}` (a number or object parsed from the token included, response-text.ts) or OpenAI `{"choices": [{"delta": {"content": "…"}}]}`; a mid-stream
 * `{"errors": [{code, message}]}` is thrown as the upstream error it names.
 */
export function workersAiDelta(payload: string): string {
  let event: unknown;
  try {
    event = JSON.parse(payload);
  } catch {
    throw malformedUpstreamResponse('workers-ai', 'a stream event is not JSON');
  }
  const { response, choices, errors } = (event ?? {}) as { response?: unknown; choices?: { delta?: { content?: unknown } }[]; errors?: { code?: number; message?: string }[] };
  if (Array.isArray(errors) && errors.length > 0) {
    const first = errors[0]!;
    throw mapWorkersAiError(new Error(`${first.code ?? 'unknown'}: ${first.message ?? 'stream error'}`));
  }
  const text = responseText(response);
  if (text !== undefined) return text;
  const content = choices?.[0]?.delta?.content;
  return typeof content === 'string' ? content : '';
}

/**
 * The binding's own JSON-mode failure, "JSON Mode couldn't be met" (cloudflare-docs
 * …/features/json-mode.mdx): the model's failure to follow the schema, reported as the same
 * invalid_model_output minnow's own check gives — not a provider fault.
 */
function jsonModeUnmet(error: unknown): unknown {
  return error instanceof Error && /JSON Mode couldn't be met/i.test(error.message) ? invalidModelOutput('workers-ai', "Workers AI's JSON mode could not meet the schema") : error;
}

const inputs = (item: GenerationRequest) => ({ max_tokens: item.max_tokens, temperature: CHAT_TEMPERATURE, ...agentInputs(item) });

export const workersAiChat: TaskProvider<GenerationRequest, GenerationResult> = {
  provider: 'workers-ai',
  model: WORKERS_AI_CHAT_MODEL,
  async run(call) {
    return Promise.all(
      call.items.map(async (item) => {
        const parsed = instructResponse.safeParse(await runWorkersAi(call, inputs(item)).catch((error: unknown) => Promise.reject(jsonModeUnmet(error))));
        if (!parsed.success) throw malformedUpstreamResponse('workers-ai', 'expected {response: string}');
        const text = responseText(parsed.data.response);
        const toolCalls = toolCallsOf(parsed.data.tool_calls ?? []);
        if (text === undefined && toolCalls.length === 0) throw malformedUpstreamResponse('workers-ai', 'expected {response: string} or tool_calls');
        const { prompt_tokens, completion_tokens } = parsed.data.usage ?? {};
        const result: GenerationResult = {
          text: text ?? '',
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          ...(prompt_tokens !== undefined && completion_tokens !== undefined ? { usage: { prompt_tokens, completion_tokens } } : {}),
        };
        return checkStructuredOutput('workers-ai', item, result);
      }),
    );
  },
  async *stream(call) {
    const stream = await runWorkersAi<unknown>(call, { ...inputs(call.items[0]!), stream: true });
    if (!(stream instanceof ReadableStream)) throw malformedUpstreamResponse('workers-ai', 'expected an event stream');
    try {
      for await (const payload of sseData(stream as ReadableStream<Uint8Array>)) {
        if (payload.trim() === '[DONE]') return;
        const delta = workersAiDelta(payload);
        if (delta) yield delta;
      }
    } catch (error) {
      throw mapWorkersAiError(error);
    }
    // A stream cut without its terminator is a truncated answer, not a finished one.
    throw upstreamError('workers-ai', 502, 'the stream ended before [DONE]');
  },
};
