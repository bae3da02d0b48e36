import { chatAnswer, countTokens, pieces } from '../ai-models/chat-answer.mjs';
import { directive } from '../sentiment-lexicon.mjs';
import { agentReply } from './chat-agent';
import { invalid, ok, type HfReply, type HfTaskHandler } from './types';

const BREAK_AFTER = 3;

/** A reply sent as Server-Sent Events (`text/event-stream`): one `data:` line per entry. */
export type HfStreamReply = HfReply & { sse?: string[] };

/** The one model a vLLM stand-in endpoint (`/endpoints/chat/vllm-…`) serves, under its served name. */
export const VLLM_SERVED_MODEL = 'acme/support-llm';
const CHAT_MODELS = ['meta-llama/Llama-3.2-1B-Instruct'];

const notFound = (message: string): HfReply => ({ status: 404, body: { error: { message, type: 'NotFoundError', param: 'model', code: 404 } } });

/**
 * chat-completion (OpenAI format, UPSTREAMS.md §2.2–2.3), at the router's `/v1/chat/completions`
 * (the model in the body is required and must be one the router serves) or at a TGI/vLLM
 * endpoint's `<endpoint>/v1/chat/completions`. A TGI endpoint ignores `model`; a vLLM endpoint
 * (`/endpoints/chat/vllm-…`) serves its own model when `model` is absent and answers an
 * OpenAI-style 404 `{"error": {"message", "type", …}}` to a name it does not serve. Answers come
 * from the shared chat-answer.mjs. With `stream`: `chat.completion.chunk` events, a usage chunk
 * when `stream_options.include_usage`, `[DONE]`.
 * [[hf:stream-break]]: three chunks, then a mid-stream `{"error": …}` event.
 * [[hf:stream-cut]]: three chunks, then the connection closes without `[DONE]`.
 */
export const chat: HfTaskHandler = {
  task: 'chat',
  models: CHAT_MODELS,
  handle(body): HfStreamReply {
    const messages = body.messages as { role: string; content: string; tool_calls?: { id: string; function: { name: string } }[] }[] | undefined;
    // OpenAI's shape: an assistant turn that only called tools may have null content.
    if (!Array.isArray(messages) || messages.some((m) => typeof m?.content !== 'string' && !(m?.role === 'assistant' && m.tool_calls && m.content == null))) {
      return invalid('messages must be a list of {role, content}');
    }
    const path = String(body.__path ?? '');
    if (path === '/v1/chat/completions') {
      if (typeof body.model !== 'string') return invalid('the router needs a `model` in the body');
      if (!CHAT_MODELS.includes(body.model.replace(/:[\w-]+$/, ''))) return notFound(`The requested model '${body.model}' is not supported by any provider you have enabled.`);
    }
    if (path.startsWith('/endpoints/chat/vllm-') && body.model !== undefined && body.model !== VLLM_SERVED_MODEL) {
      return notFound(`The model \`${String(body.model)}\` does not exist.`);
    }
    const textAnswer = () => chatAnswer(messages.filter((m) => m.role !== 'tool').map((m) => ({ ...m, content: m.content ?? '' })));
    const agent = agentReply(body, messages, textAnswer);
    if (agent && 'status' in agent) return agent;
    const answer = agent ? String(agent.message.content ?? '') : chatAnswer(messages);
    const model = typeof body.model === 'string' ? body.model : path.startsWith('/endpoints/chat/vllm-') ? VLLM_SERVED_MODEL : 'tgi';
    const prompt = countTokens(messages.map((m) => m.content).join('\n'));
    const usage = { prompt_tokens: prompt, completion_tokens: countTokens(answer), total_tokens: prompt + countTokens(answer) };
    const base = { id: 'chatcmpl-hf-stub', created: 1_764_000_000, model, system_fingerprint: 'stub' };
    if (!body.stream) {
      return ok({ ...base, object: 'chat.completion', choices: [{ index: 0, message: agent?.message ?? { role: 'assistant', content: answer }, finish_reason: agent?.finish ?? 'stop', logprobs: null }], usage });
    }
    const chunk = (delta: Record<string, unknown>, finish: string | null) => JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }], usage: null });
    if (agent) {
      const events = [...agent.stream.map((delta) => chunk(delta, null)), chunk({}, agent.finish)];
      if ((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage) events.push(JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage }));
      return { status: 200, body: null, sse: [...events, '[DONE]'] };
    }
    let events = [chunk({ role: 'assistant', content: '' }, null), ...pieces(answer).map((piece: string) => chunk({ content: piece }, null))];
    if (directive(JSON.stringify(messages), 'hf') === 'stream-cut') return { status: 200, body: null, sse: events.slice(0, BREAK_AFTER + 1) };
    if (directive(JSON.stringify(messages), 'hf') === 'stream-break') {
      return { status: 200, body: null, sse: [...events.slice(0, BREAK_AFTER + 1), JSON.stringify({ error: 'Model is overloaded', error_type: 'overloaded' })] };
    }
    events = [...events, chunk({}, 'stop')];
    if ((body.stream_options as { include_usage?: boolean } | undefined)?.include_usage) events.push(JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage }));
    return { status: 200, body: null, sse: [...events, '[DONE]'] };
  },
};
