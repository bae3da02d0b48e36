import { chatCompletion, chatCompletionStream, InferenceClientProviderApiError, type Options } from '@huggingface/inference';
import { CHAT_TEMPERATURE, type GenerationRequest, type GenerationResult } from '../chat-types';
import type { ProviderCall, TaskProvider } from '../types';
import { malformedUpstreamResponse, upstreamError, withTimeout } from '../upstream-errors';
import { mapHuggingFaceError, reshapingFetch, resolveChatEndpoint, type UpstreamHints } from './transport';

export const HF_CHAT_MODEL = 'meta-llama/Llama-3.2-1B-Instruct';

const body = (item: GenerationRequest) => ({ messages: item.messages.map(({ role, content }) => ({ role, content })) as { role: string; content: string }[], max_tokens: item.max_tokens, temperature: CHAT_TEMPERATURE });

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
        const text = output?.choices?.[0]?.message?.content;
        if (typeof text !== 'string') throw malformedUpstreamResponse('huggingface', 'expected choices[0].message.content');
        const usage = output.usage;
        return { text, ...(usage ? { usage: { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens } } : {}) };
      }),
    );
  },
  async *stream(call: ProviderCall<GenerationRequest, unknown>) {
    const seen: ChatHints = {};
    const { args, options } = chatCall(call, seen);
    try {
      for await (const chunk of chatCompletionStream({ ...args, ...body(call.items[0]!) }, options)) {
        const delta = chunk?.choices?.[0]?.delta?.content;
        if (typeof delta === 'string' && delta) yield delta;
      }
    } catch (error) {
      throw mapStreamError(error, call.signal, seen);
    }
    // A stream cut without its terminator is a truncated answer, not a finished one (as on Workers AI).
    if (!seen.done) throw upstreamError('huggingface', 502, 'the stream ended before [DONE]');
  },
};
