// `@cf/meta/llama-3.2-1b-instruct` as a chat model (UPSTREAMS.md §1.2–1.3): `{ messages, stream?,
// max_tokens? }` → `{ response, usage }`, or with `stream: true` a ReadableStream of SSE bytes:
// `data: {"response":"<piece>"}` per token, a last event with `usage`, then `data: [DONE]`.
// Prompts that are not chat prompts (the summarize task's "at most N words") go to summarize.mjs.
// Answers come from chat-answer.mjs. Stream directives, anywhere in the inputs:
// [[ai:stream-break]] three pieces, then a mid-stream `{"errors":[{code:3040,…}]}` event and the end;
// [[ai:stream-cut]] three pieces, then the stream ends without [DONE];
// [[ai:stream-stall]] three pieces, then nothing (the caller's idle timeout must end it);
// [[ai:stream-openai]] OpenAI `chat.completion.chunk` events instead of the native format;
// [[ai:response-number]] a token that is a number arrives as a JSON number (`{"response":2024}`),
// and unstreamed the answer is just the first number in it, as a number; [[ai:response-object]]
// unstreamed, `response` is an object (a model that answered JSON). Both happen on the real
// binding: cloudflare/ai's workers-ai-provider turns a non-string `response` back into text
// (String(number), JSON.stringify(object)), UPSTREAMS.md §1.3 sources (CFAI-stream);
// [[ai:stream-slow]] 50 ms between pieces instead of 5 (a reader can leave mid-answer);
// [[ai:stream-drip]] 250 ms between pieces: each gap well inside a 1 s idle timeout, the whole
// answer (13 pieces) well past it; [[ai:stream-drip-long]] 700 ms between pieces, the whole
// answer past six 1 s timeouts; [[ai:stream-garbage]] three pieces, then an event that is not JSON.
import { directive } from '../sentiment-lexicon.mjs';
import { agentTurn, jsonAnswer } from './agent-answer.mjs';
import { chatAnswer, countTokens, pieces } from './chat-answer.mjs';
import { models as summarize } from './summarize.mjs';

const MODEL = '@cf/meta/llama-3.2-1b-instruct';
const BREAK_AFTER = 3;
const GAP_MS = { 'stream-slow': 50, 'stream-drip': 250, 'stream-drip-long': 700 };

function isChatPrompt(inputs) {
  if (inputs?.stream) return true;
  // The legacy `prompt` form stays with the summarize stand-in, as before.
  if (!Array.isArray(inputs?.messages)) return false;
  const system = (inputs?.messages ?? []).filter((m) => m.role === 'system').map((m) => m.content).join('\n');
  return !/at most \d+ words/i.test(system);
}

function sseStream(text, fault, usage) {
  const encoder = new TextEncoder();
  const split = fault === 'response-number' ? pieces(text).flatMap((piece) => (/^\d+\s+$/.test(piece) ? [piece.trimEnd(), piece.slice(piece.trimEnd().length)] : [piece])) : pieces(text);
  const events = split.map((piece) =>
    fault === 'stream-openai'
      ? { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: MODEL, choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] }
      : { response: fault === 'response-number' && /^\d+$/.test(piece) ? Number(piece) : piece, p: 'abcdef' },
  );
  const broken = ['stream-break', 'stream-cut', 'stream-stall', 'stream-garbage'].includes(fault);
  const sent = broken ? events.slice(0, BREAK_AFTER) : events;
  // A byte stream: what an RPC boundary carries, as the real binding's stream is.
  const { readable, writable } = new IdentityTransformStream();
  const writer = writable.getWriter();
  (async () => {
    for (const event of sent) {
      await writer.write(encoder.encode(`data: ${JSON.stringify(event)}\n\n`));
      await new Promise((resolve) => setTimeout(resolve, GAP_MS[fault] ?? 5));
    }
    // Holds the stream open, silent, far past any provider timeout.
    if (fault === 'stream-stall') await new Promise((resolve) => setTimeout(resolve, 30_000));
    if (fault === 'stream-garbage') await writer.write(encoder.encode('data: {"response": "unfinish\n\n'));
    if (fault === 'stream-break') await writer.write(encoder.encode(`data: ${JSON.stringify({ errors: [{ code: 3040, message: 'Capacity temporarily exceeded, please try again.' }] })}\n\n`));
    if (!broken) {
      await writer.write(encoder.encode(`data: ${JSON.stringify({ response: '', usage, finish_reason: 'stop' })}\n\n`));
      await writer.write(encoder.encode('data: [DONE]\n\n'));
    }
    await writer.close();
  })().catch(() => {});
  return readable;
}

// `@cf/meta/llama-4-scout-17b-16e-instruct`, the function-calling and JSON-mode model
// (cloudflare-docs src/content/workers-ai-models/llama-4-scout-17b-16e-instruct.json): `tools`
// items in either of the schema's two shapes — the legacy flat `{name, description, parameters}`
// or `{type: "function", function: {name, description, parameters}}`, description and parameters
// required (else 5004, the binding's invalid-input code, UPSTREAMS.md §1.4); `tool_choice` as
// Cloudflare's AI SDK provider sends it; output `{response, tool_calls: [{name, arguments: object}],
// usage}` — the flat shape, arguments an object, no id (the schema's output.tool_calls). JSON mode:
// `response_format: {type: "json_object" | "json_schema", json_schema: <the schema itself>}` answers
// `response` as a parsed object (…/features/json-mode.mdx example); with `stream` it is refused
// ("JSON Mode currently doesn't support streaming", ibid. — the binding's exact error is not
// published, so this one carries no code) and [[ai:json-unmet]] throws the published failure
// "JSON Mode couldn't be met". Without tools or JSON mode it is the llama chat below.
const SCOUT = '@cf/meta/llama-4-scout-17b-16e-instruct';

function normaliseTool(tool) {
  const fn = tool?.type === 'function' && tool.function ? tool.function : tool;
  if (typeof fn?.name !== 'string' || typeof fn?.description !== 'string' || typeof fn?.parameters !== 'object' || fn.parameters === null) {
    throw new Error('5004: Invalid data type for tools: each needs name, description and parameters');
  }
  return { name: fn.name, description: fn.description, parameters: fn.parameters };
}

function agentChat(inputs) {
  const format = inputs?.response_format;
  if (!inputs?.tools && !format) return chat(inputs);
  checkMessages(inputs);
  const messages = inputs.messages;
  const textAnswer = () => chatAnswer(messages.filter((m) => m.role !== 'tool'));
  const prompt = countTokens(JSON.stringify(inputs));
  const usage = (out) => ({ prompt_tokens: prompt, completion_tokens: countTokens(out), total_tokens: prompt + countTokens(out) });
  if (format) {
    if (inputs.stream) throw new Error("JSON Mode currently doesn't support streaming");
    if (directive(JSON.stringify(inputs), 'ai') === 'json-unmet') throw new Error("JSON Mode couldn't be met");
    const answer = jsonAnswer(messages, format.type === 'json_schema' ? format.json_schema : undefined, textAnswer);
    return { response: answer, usage: usage(JSON.stringify(answer)) };
  }
  const tools = (inputs.tools ?? []).map(normaliseTool);
  const turn = agentTurn(messages, tools, inputs.tool_choice, textAnswer);
  if (turn.text !== undefined) return inputs.stream ? sseStream(turn.text, undefined, usage(turn.text)) : { response: turn.text, tool_calls: [], usage: usage(turn.text) };
  const fault = directive(JSON.stringify(inputs), 'ai');
  if (inputs.stream) return toolCallStream(turn, usage(JSON.stringify(turn.calls)), fault);
  return { response: turn.preamble ?? '', tool_calls: turn.calls, usage: usage(JSON.stringify(turn.calls)) };
}

let streamedCalls = 0;
/** Argument text per streamed fragment, as the model writes a call's arguments token by token. */
const FRAGMENT_CHARS = 10;

// Streamed, calls come in fragments per call: a first event `{"tool_calls":[{"id","type":
// "function","index","function":{"name","arguments":"<first piece>"}}]}`, then `{"tool_calls":
// [{"index","function":{"arguments":"<piece>"}}]}`, then the null "finalization" entry
// `{"id":null,"type":null,"function":{"name":null,"arguments":""}}`, then `{"finish_reason":
// "tool_calls"}` and [DONE] — the shapes cloudflare/ai's workers-ai-provider reads
// (src/streaming.ts emitToolCallDeltas; test/stream-text.test.ts "Incremental Tool Call
// Streaming" and "Eager tool-input-end" fixtures). Text the model writes before calling
// ([[fake:tool-preamble]]) streams first as `{"response"}` events. [[ai:stream-openai]]: the same
// in OpenAI chunks (`choices[0].delta.tool_calls`, ibid. "OpenAI format"); [[ai:tool-stream-whole]]:
// older models' one event with every call whole and flat, `{"response":"","tool_calls":[{"name",
// "arguments":{…}}]}` (UPSTREAMS.md §1.3, cloudflare/ai packages/tanstack-ai test fixtures).
function toolCallStream(turn, usage, fault) {
  const encoder = new TextEncoder();
  const openai = fault === 'stream-openai';
  const wrap = (fields) => (openai ? { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: SCOUT, choices: [{ index: 0, delta: fields, finish_reason: null }] } : fields);
  const text = (turn.preamble ? pieces(turn.preamble) : []).map((piece) => wrap(openai ? { content: piece } : { response: piece }));
  let calls;
  if (fault === 'tool-stream-whole') calls = [{ response: '', tool_calls: turn.calls }];
  else {
    calls = turn.calls.flatMap((call, index) => {
      const args = JSON.stringify(call.arguments);
      const parts = [];
      for (let at = 0; at < args.length; at += FRAGMENT_CHARS) parts.push(args.slice(at, at + FRAGMENT_CHARS));
      const first = { id: `chatcmpl-tool-${++streamedCalls}`, type: 'function', index, function: { name: call.name, arguments: parts[0] ?? '' } };
      return [first, ...parts.slice(1).map((piece) => ({ index, function: { arguments: piece } }))].map((entry) => wrap({ tool_calls: [entry] }));
    });
    if (!openai) calls.push({ tool_calls: [{ id: null, type: null, function: { name: null, arguments: '' } }] });
  }
  const end = openai ? { ...wrap({}), choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }], usage } : { response: '', usage, finish_reason: 'tool_calls' };
  // [[ai:stream-break]]: the text and the first call's first two fragments, then the mid-stream
  // 3040 errors event and the end (no [DONE]), as for a text answer.
  const broken = fault === 'stream-break';
  const sent = broken ? [...text, ...calls.slice(0, 2), { errors: [{ code: 3040, message: 'Capacity temporarily exceeded, please try again.' }] }] : [...text, ...calls, end];
  const events = sent.map((event) => `data: ${JSON.stringify(event)}\n\n`);
  const { readable, writable } = new IdentityTransformStream();
  const writer = writable.getWriter();
  (async () => {
    for (const event of broken ? events : [...events, 'data: [DONE]\n\n']) {
      await writer.write(encoder.encode(event));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await writer.close();
  })().catch(() => {});
  return readable;
}

function checkMessages(inputs) {
  // Agent history adds tool turns and assistant tool_calls; content stays a string (never null).
  if (!Array.isArray(inputs?.messages) || !inputs.messages.every((m) => typeof m?.role === 'string' && typeof m?.content === 'string')) {
    throw new Error('5004: Invalid data type for messages');
  }
}

function chat(inputs) {
  if (!Array.isArray(inputs?.messages) || !inputs.messages.every((m) => typeof m?.role === 'string' && typeof m?.content === 'string')) {
      throw new Error('5004: Invalid data type for messages');
    }
    const response = chatAnswer(inputs.messages);
    const prompt = countTokens(inputs.messages.map((m) => m.content).join('\n'));
    const usage = { prompt_tokens: prompt, completion_tokens: countTokens(response), total_tokens: prompt + countTokens(response) };
    const fault = directive(JSON.stringify(inputs), 'ai');
    if (inputs.stream) return sseStream(response, fault, usage);
    if (fault === 'response-number') return { response: Number(/\d+/.exec(response)?.[0] ?? 0), usage };
    if (fault === 'response-object') return { response: { answer: response }, usage };
    return { response, usage };
}

export const models = {
  [MODEL]: (inputs) => (isChatPrompt(inputs) ? chat(inputs) : summarize[MODEL](inputs)),
  '@cf/meta/llama-3.2-3b-instruct': chat,
  [SCOUT]: agentChat,
};
