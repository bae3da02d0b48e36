import { agentTurn, jsonAnswer } from '../ai-models/agent-answer.mjs';
import { pieces } from '../ai-models/chat-answer.mjs';
import { invalid, type HfReply } from './types';

type Message = { role: string; content: string | null; tool_calls?: { id: string; function: { name: string } }[]; tool_call_id?: string };
type Tool = { type?: string; function?: { name?: unknown; description?: unknown; parameters?: unknown } };

/** Argument text per streamed delta, as TGI/vLLM stream a call's arguments token by token. */
const FRAGMENT_CHARS = 12;
let calls = 0;

/**
 * Tools and JSON output on the OpenAI-compatible chat completion (HF-spec chat-completion
 * input.json / output.json / stream_output.json, the router's and TGI/vLLM's wire format): `tools`
 * `[{type: "function", function: {name, description?, parameters}}]` (a tool that is not of that
 * shape is a 422 validation error, as TGI answers), `tool_choice` "auto" | "none" | "required" |
 * `{type: "function", function: {name}}`, `response_format` `{type: "json_object"}` or
 * `{type: "json_schema", json_schema: {name, schema, strict?}}`. A call answers
 * `message: {role: "assistant", content: null, tool_calls: [{id, type: "function", function: {name,
 * arguments: "<JSON text>"}}]}` with `finish_reason: "tool_calls"`; streamed, a first delta per
 * call carries `index`, `id`, `type` and `function.name` with empty arguments, later deltas carry
 * only `index` and `function.arguments` fragments. JSON output is the content, as text. Which call
 * or object the "model" writes: ai-models/agent-answer.mjs.
 * Returns undefined when the request asks for neither (plain chat, chat.ts).
 */
export function agentReply(body: Record<string, unknown>, messages: Message[], textAnswer: () => string): { message: Record<string, unknown>; finish: string; stream: Record<string, unknown>[] } | HfReply | undefined {
  const format = body.response_format as { type?: string; json_schema?: { name?: unknown; schema?: Record<string, unknown> } } | undefined;
  const tools = body.tools as Tool[] | undefined;
  if (!tools && !format) return undefined;
  if (format && !['text', 'json_object', 'json_schema'].includes(String(format.type))) return invalid(`Unknown response_format type ${String(format.type)}`);
  if (format?.type === 'json_schema' && typeof format.json_schema?.name !== 'string') return { status: 422, body: { error: 'Input validation error: `response_format.json_schema.name` is required', error_type: 'validation' } };
  if (tools && !tools.every((tool) => tool?.type === 'function' && typeof tool.function?.name === 'string')) {
    return { status: 422, body: { error: 'Input validation error: every tool needs `type: "function"` and a `function.name`', error_type: 'validation' } };
  }
  const offered = (tools ?? []).map((tool) => ({ name: String(tool.function!.name), description: tool.function!.description, parameters: tool.function!.parameters }));
  const turn = agentTurn(messages, offered, body.tool_choice, textAnswer);
  if (turn.text !== undefined) {
    const wantsJson = format && format.type !== 'text' && messages.at(-1)?.role !== 'tool';
    const json = wantsJson ? jsonAnswer(messages, format.type === 'json_schema' ? format.json_schema?.schema : undefined, textAnswer) : undefined;
    // jsonAnswer's text that is not JSON ([[fake:bad-json]]) is the content as it is.
    const content = json === undefined ? turn.text : typeof json === 'string' ? json : JSON.stringify(json);
    const stream = [{ role: 'assistant', content: '' }, ...pieces(content).map((piece: string) => ({ content: piece }))];
    return { message: { role: 'assistant', content }, finish: 'stop', stream };
  }
  // [[hf:tool-args-object]]: `arguments` as a JSON object, as TGI's Messages API has answered
  // (huggingface/text-generation-inference issues #2461 and #2136: an object, not OpenAI's string).
  const objectArgs = JSON.stringify(messages).includes('[[hf:tool-args-object]]');
  // [[hf:tool-stream-spec]]: argument deltas that repeat `id` (empty) and `type`, as HF-spec
  // stream_output.json requires them on every delta and vLLM has sent them (InternLM/lmdeploy#3412).
  const spec = JSON.stringify(messages).includes('[[hf:tool-stream-spec]]');
  const made = turn as { calls?: { name: string; arguments: unknown }[]; preamble?: string };
  const toolCalls = (made.calls ?? []).map((call: { name: string; arguments: unknown }) => ({ id: `chatcmpl-tool-${++calls}`, type: 'function', function: { name: call.name, arguments: objectArgs ? call.arguments : JSON.stringify(call.arguments) } }));
  const preamble = made.preamble;
  const stream: Record<string, unknown>[] = [{ role: 'assistant', content: null }, ...(preamble ? pieces(preamble).map((piece: string) => ({ content: piece })) : [])];
  toolCalls.forEach((call: { id: string; function: { name: string; arguments: unknown } }, index: number) => {
    const args = typeof call.function.arguments === 'string' ? call.function.arguments : JSON.stringify(call.function.arguments);
    stream.push({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] });
    for (let at = 0; at < args.length; at += FRAGMENT_CHARS) stream.push({ tool_calls: [{ index, ...(spec ? { id: '', type: 'function' } : {}), function: { arguments: args.slice(at, at + FRAGMENT_CHARS) } }] });
  });
  return { message: { role: 'assistant', content: preamble ?? null, tool_calls: toolCalls }, finish: 'tool_calls', stream };
}
