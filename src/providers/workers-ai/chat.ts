import { z } from 'zod';
import { CHAT_TEMPERATURE, type GenerationRequest, type GenerationResult } from '../chat-types';
import { sseData } from '../chat-sse';
import { checkStructuredOutput, invalidModelOutput } from '../structured-output';
import { ToolCallAssembler, type ToolCallFragment } from '../tool-call-stream';
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

/** A streamed event's raw tool-call entry, in either format (flat or OpenAI's `{function: {…}}`). */
type RawCall = { index?: unknown; id?: unknown; name?: unknown; arguments?: unknown; function?: { name?: unknown; arguments?: unknown } | null };

const text = (value: unknown) => (typeof value === 'string' ? value : null);

function fragmentOf(raw: RawCall): ToolCallFragment {
  const fn = raw?.function ?? undefined;
  return { index: typeof raw?.index === 'number' ? raw.index : null, id: text(raw?.id), name: text(fn?.name ?? raw?.name), arguments: fn ? fn.arguments : raw?.arguments };
}

/**
 * One streamed event, in either format the binding emits (UPSTREAMS.md §1.3): native
 * `{"response": "…", "tool_calls": [...]}` (a number or object parsed from the token included,
 * response-text.ts) or OpenAI `{"choices": [{"delta": {"content": "…", "tool_calls": [...]}}]}`.
 * Tool calls stream as fragments — `{id, type, index, function: {name, arguments: "{\"loc"}}`,
 * then `{index, function: {arguments: "…"}}` — or, from older models, whole and flat
 * (`{name, arguments: {…}}`, no index): cloudflare/ai packages/workers-ai-provider
 * src/streaming.ts and its test/stream-text.test.ts fixtures. A mid-stream
 * `{"errors": [{code, message}]}` is thrown as the upstream error it names.
 */
export function workersAiEvent(payload: string): { text: string; calls: ToolCallFragment[] } {
  let event: unknown;
  try {
    event = JSON.parse(payload);
  } catch {
    throw malformedUpstreamResponse('workers-ai', 'a stream event is not JSON');
  }
  const { response, choices, errors, tool_calls: native } = (event ?? {}) as { response?: unknown; choices?: { delta?: { content?: unknown; tool_calls?: unknown } }[]; errors?: { code?: number; message?: string }[]; tool_calls?: unknown };
  if (Array.isArray(errors) && errors.length > 0) {
    const first = errors[0]!;
    throw mapWorkersAiError(new Error(`${first.code ?? 'unknown'}: ${first.message ?? 'stream error'}`));
  }
  const delta = choices?.[0]?.delta;
  const raw = Array.isArray(native) ? native : Array.isArray(delta?.tool_calls) ? delta.tool_calls : [];
  const calls = (raw as RawCall[]).map(fragmentOf);
  const said = responseText(response);
  if (said !== undefined) return { text: said, calls };
  const content = delta?.content;
  return { text: typeof content === 'string' ? content : '', calls };
}

/** The text of one streamed event (see workersAiEvent). */
export const workersAiDelta = (payload: string): string => workersAiEvent(payload).text;

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
    const item = call.items[0]!;
    const stream = await runWorkersAi<unknown>(call, { ...inputs(item), stream: true });
    if (!(stream instanceof ReadableStream)) throw malformedUpstreamResponse('workers-ai', 'expected an event stream');
    const calls = new ToolCallAssembler('workers-ai', item);
    try {
      for await (const payload of sseData(stream as ReadableStream<Uint8Array>)) {
        if (payload.trim() === '[DONE]') {
          for (const toolCall of calls.finish()) yield { toolCall };
          return;
        }
        const event = workersAiEvent(payload);
        if (event.text) yield event.text;
        for (const fragment of event.calls) for (const toolCall of calls.push(fragment)) yield { toolCall };
      }
    } catch (error) {
      throw mapWorkersAiError(error);
    }
    // A stream cut without its terminator is a truncated answer, not a finished one.
    throw upstreamError('workers-ai', 502, 'the stream ended before [DONE]');
  },
};
