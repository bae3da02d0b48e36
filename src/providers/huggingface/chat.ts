import { chatCompletion, chatCompletionStream, InferenceClientProviderApiError, type Options } from '@huggingface/inference';
import { CHAT_TEMPERATURE, type GenerationRequest, type GenerationResult } from '../chat-types';
import type { ProviderCall, TaskProvider } from '../types';
import { malformedUpstreamResponse, upstreamError } from '../upstream-errors';
import { callHuggingFace, mapHuggingFaceError, reshapingFetch, resolveEndpoint, type UpstreamHints } from './transport';

export const HF_CHAT_MODEL = 'meta-llama/Llama-3.2-1B-Instruct';

const body = (item: GenerationRequest) => ({ messages: item.messages.map(({ role, content }) => ({ role, content })) as { role: string; content: string }[], max_tokens: item.max_tokens, temperature: CHAT_TEMPERATURE });

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

/**
 * Hugging Face chat completion (OpenAI format, UPSTREAMS.md §2.2–2.3) through the same endpoint
 * rules as every HF task: the tenant's endpoint, a deployment endpoint for `chat`, else the
 * serverless base with the model id; the client appends `/v1/chat/completions`.
 */
export const huggingFaceChat: TaskProvider<GenerationRequest, GenerationResult> = {
  provider: 'huggingface',
  model: HF_CHAT_MODEL,
  async run(call) {
    return Promise.all(
      call.items.map(async (item) => {
        const output = await callHuggingFace(call, (args, options) => chatCompletion({ ...args, model: call.model, ...body(item) }, options));
        const text = output?.choices?.[0]?.message?.content;
        if (typeof text !== 'string') throw malformedUpstreamResponse('huggingface', 'expected choices[0].message.content');
        const usage = output.usage;
        return { text, ...(usage ? { usage: { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens } } : {}) };
      }),
    );
  },
  async *stream(call: ProviderCall<GenerationRequest, unknown>) {
    const { url, token } = resolveEndpoint(call);
    const seen: UpstreamHints = {};
    const options: Options = { retry_on_error: false, signal: call.signal, fetch: reshapingFetch(seen) };
    try {
      for await (const chunk of chatCompletionStream({ accessToken: token, endpointUrl: url, model: call.model, ...body(call.items[0]!) }, options)) {
        const delta = chunk?.choices?.[0]?.delta?.content;
        if (typeof delta === 'string' && delta) yield delta;
      }
    } catch (error) {
      throw mapStreamError(error, call.signal, seen);
    }
  },
};
