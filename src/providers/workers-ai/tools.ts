import type { ChatMessage, GenerationRequest, ToolCall } from '../chat-types';
import { newToolCallId } from '../tool-call-stream';
import { malformedUpstreamResponse } from '../upstream-errors';

/**
 * Agent requests on the binding. Sources: the model schemas in cloudflare-docs
 * src/content/workers-ai-models/llama-4-scout-17b-16e-instruct.json (and llama-3.3-70b-instruct-fp8-fast.json):
 * `tools` items are either the legacy flat `{name, description, parameters}` or
 * `{type: "function", function: {name, description, parameters}}` (description and
 * parameters `{type, properties}` required); `response_format: {type: "json_object" | "json_schema",
 * json_schema}` where `json_schema` IS the JSON Schema (…/features/json-mode.mdx — not OpenAI's
 * `{name, schema}` wrapper); output `tool_calls: [{name, arguments: object}]`. The schemas list no
 * `tool_choice`; Cloudflare's own AI SDK provider (cloudflare/ai packages/workers-ai-provider
 * src/utils.ts prepareToolsAndToolChoice) sends `auto` / `none` / `required` as they are and a named
 * function as `required` over only that function. History follows the same package's
 * convert-to-workersai-chat-messages.ts: an assistant turn carries `tool_calls` in OpenAI's shape
 * (arguments a JSON string) and, as its content, the call as `{"name", "parameters"}` JSON — chat
 * templates that ignore `tool_calls` still show the model what it called; a tool result is
 * `{role: "tool", content, name, tool_call_id}`.
 */
export function agentInputs(item: GenerationRequest): Record<string, unknown> {
  const names = new Map(item.messages.flatMap((message) => message.tool_calls ?? []).map((call) => [call.id, call.name]));
  const inputs: Record<string, unknown> = { messages: item.messages.map((message) => wireMessage(message, names)) };
  const choice = item.tool_choice ?? 'auto';
  // `none` sends no tools at all: the binding documents no tool_choice, so leaving the functions
  // out is the one way to be sure none is called.
  if (item.tools?.length && choice !== 'none') {
    const offered = typeof choice === 'object' ? item.tools.filter((tool) => tool.name === choice.name) : item.tools;
    inputs.tools = offered.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description ?? '', parameters: tool.parameters ?? { type: 'object', properties: {} } },
    }));
    inputs.tool_choice = typeof choice === 'object' ? 'required' : choice;
  }
  const format = item.response_format;
  if (format) inputs.response_format = format.type === 'json_schema' ? { type: 'json_schema', json_schema: format.schema } : { type: 'json_object' };
  return inputs;
}

function wireMessage(message: ChatMessage, names: Map<string, string>): Record<string, unknown> {
  if (message.role === 'tool') return { role: 'tool', content: message.content, name: names.get(message.tool_call_id ?? ''), tool_call_id: message.tool_call_id };
  if (message.tool_calls?.length) {
    const spoken = message.tool_calls.map(({ name, arguments: args }) => JSON.stringify({ name, parameters: parsedOr(args) })).join('\n');
    return {
      role: message.role,
      content: message.content || spoken,
      tool_calls: message.tool_calls.map(({ id, name, arguments: args }) => ({ id, type: 'function', function: { name, arguments: args } })),
    };
  }
  return { role: message.role, content: message.content };
}

function parsedOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The binding's `tool_calls`, in either shape it answers (workers-ai-provider utils.ts
 * processToolCall): flat `{name, arguments}` (arguments an object, or a JSON string) or OpenAI's
 * `{id, type, function: {name, arguments}}`.
 */
export function toolCallsOf(raw: unknown[]): ToolCall[] {
  return raw.map((entry) => {
    const call = (entry ?? {}) as { id?: unknown; name?: unknown; arguments?: unknown; function?: { name?: unknown; arguments?: unknown } };
    const name = call.function?.name ?? call.name;
    const args = call.function ? call.function.arguments : call.arguments;
    if (typeof name !== 'string' || !name) throw malformedUpstreamResponse('workers-ai', 'a tool call has no function name');
    return {
      id: typeof call.id === 'string' && call.id ? call.id : newToolCallId(),
      name,
      arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
    };
  });
}
