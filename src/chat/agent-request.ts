import { z } from '@hono/zod-openapi';
import { fieldPath } from '../contracts/validation';
import { ApiError } from '../contracts/errors';
import type { AgentOptions, ChatMessage, JsonResponseFormat } from '../providers/chat-types';
import { LOCAL_CHAT_MODEL } from '../providers/local/chat-quote';
import { modelsWith, supportsFeature, type AgentFeature } from '../tasks/chat/models';

/** Most functions one request may offer, and the most JSON their definitions (or a schema) may take. */
export const MAX_TOOLS = 64;
export const MAX_TOOLS_JSON_CHARS = 64_000;
export const MAX_SCHEMA_JSON_CHARS = 32_000;
const MAX_ARGUMENT_CHARS = 16_000;

/** OpenAI's rule for function and response-format names. */
const functionName = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, _ or -');
const jsonObject = z.record(z.string(), z.unknown());

export const toolCallSchema = z
  .object({ id: z.string().min(1).max(100), type: z.literal('function'), function: z.object({ name: functionName, arguments: z.string().max(MAX_ARGUMENT_CHARS) }).loose() })
  .loose()
  .openapi('ChatToolCall', { description: 'A function the model called: `arguments` is a JSON text' });

export const toolSchema = z
  .object({
    type: z.literal('function'),
    function: z
      .object({
        name: functionName,
        description: z.string().max(2_000).optional(),
        parameters: jsonObject.optional().openapi({ description: 'JSON Schema of the arguments object' }),
        strict: z.boolean().nullable().optional().openapi({ description: 'true: minnow validates the arguments against `parameters` and fails the call (502 invalid_model_output) rather than pass on arguments that do not match' }),
      })
      .loose(),
  })
  .loose()
  .openapi('ChatTool');

export const toolChoiceSchema = z
  .union([z.enum(['none', 'auto', 'required']), z.object({ type: z.literal('function'), function: z.object({ name: functionName }).loose() }).loose()])
  .openapi('ChatToolChoice', { description: '`auto` (default with tools), `none`, `required` (at least one call), or one named function' });

export const responseFormatSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('text') }).loose(),
    z.object({ type: z.literal('json_object') }).loose(),
    z
      .object({
        type: z.literal('json_schema'),
        json_schema: z.object({ name: functionName, description: z.string().max(2_000).optional(), schema: jsonObject.optional(), strict: z.boolean().nullable().optional() }).loose(),
      })
      .loose(),
  ])
  .openapi('ChatResponseFormat', {
    description: '`json_object`: the content is a JSON object; `json_schema`: JSON, validated against `schema` when `strict` (else 502 invalid_model_output). For a bot only when its `agent.json` is on',
  });

/** The fields of a completion request this module reads. */
export interface AgentRequestFields {
  model: string;
  messages: { role: string; content?: unknown; tool_calls?: z.infer<typeof toolCallSchema>[] | undefined; tool_call_id?: string | undefined }[];
  tools?: z.infer<typeof toolSchema>[] | undefined;
  tool_choice?: z.infer<typeof toolChoiceSchema> | undefined;
  response_format?: z.infer<typeof responseFormatSchema> | undefined;
  parallel_tool_calls?: boolean | null | undefined;
}

const ABILITY: Record<AgentFeature, string> = { tools: 'call tools (function calling)', json: 'answer in JSON mode' };

function unsupported(model: string, feature: AgentFeature, why: string, param: string): ApiError {
  return new ApiError(400, 'unsupported_parameter', `${model} cannot ${ABILITY[feature]}: ${why}. Chat models that can: ${modelsWith(feature).join(', ')}`, { param });
}

/** Which agent features a request uses, and the param that asks for each (for the 400). */
export function wanted(request: AgentRequestFields): { feature: AgentFeature; param: string }[] {
  const wants: { feature: AgentFeature; param: string }[] = [];
  if (request.tools?.length) wants.push({ feature: 'tools', param: 'tools' });
  const historyIndex = request.messages.findIndex((message) => message.role === 'tool' || message.tool_calls?.length);
  if (historyIndex >= 0) wants.push({ feature: 'tools', param: fieldPath('messages', historyIndex) });
  if (request.response_format && request.response_format.type !== 'text') wants.push({ feature: 'json', param: 'response_format' });
  return wants;
}

/**
 * Refuses agent fields a chat model cannot honour: it must support the feature. Nothing asked for
 * is dropped silently. Bots are checked once loaded (refuseForBot).
 */
export function refuseUnsupported(request: AgentRequestFields, target: string): void {
  if (target.startsWith('bot_')) return;
  for (const { feature, param } of wanted(request)) {
    if (!supportsFeature(target, feature)) {
      const why = target === LOCAL_CHAT_MODEL ? 'the local tier answers offline by quoting passages, with no language model' : 'the model does not support it';
      throw unsupported(request.model === target ? target : `${request.model} (${target})`, feature, why, param);
    }
  }
}

const SETTING: Record<AgentFeature, string> = { tools: '{"agent": {"tools": true}}', json: '{"agent": {"json": true}}' };

/**
 * A bot stays grounded: its answer is built from its knowledge bases with citations, and a function
 * call or a JSON document could bypass that, so tools, tool turns and JSON output are refused
 * unless the bot enables them (`agent`, with a model that can: chat/bots.ts checks that when the
 * bot is saved, and this again in case the catalog changed since).
 */
export function refuseForBot(request: AgentRequestFields, bot: { id: string; model: string | null; agent: Record<AgentFeature, boolean> }): void {
  for (const { feature, param } of wanted(request)) {
    if (!bot.agent[feature]) {
      const why = `a bot answers grounded in its knowledge bases, with citations; its ${feature === 'tools' ? 'tool use' : 'JSON output'} is off unless the bot enables it (PATCH /v1/bots/${bot.id} ${SETTING[feature]}, with a bot model that can)`;
      throw unsupported(request.model, feature, why, param);
    }
    if (!bot.model || !supportsFeature(bot.model, feature)) throw unsupported(request.model, feature, `the bot's model ${bot.model ?? '(none named)'} does not support it`, param);
  }
}

/** Checks the parts OpenAI checks too (a named choice among the tools, results answering calls) and maps to AgentOptions. */
export function agentOptionsOf(request: AgentRequestFields): AgentOptions {
  const tools = request.tools ?? [];
  const names = tools.map((tool) => tool.function.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new ApiError(400, 'invalid_field', `Two tools are named ${duplicate}`, { param: 'tools' });
  if (JSON.stringify(tools).length > MAX_TOOLS_JSON_CHARS) throw new ApiError(400, 'invalid_field', `The tool definitions take more than ${MAX_TOOLS_JSON_CHARS} characters of JSON`, { param: 'tools' });
  const choice = request.tool_choice;
  if (choice !== undefined && tools.length === 0) throw new ApiError(400, 'invalid_field', 'tool_choice needs tools', { param: 'tool_choice' });
  if (typeof choice === 'object' && !names.includes(choice.function.name)) {
    throw new ApiError(400, 'invalid_field', `tool_choice names ${choice.function.name}, which is not one of the tools (${names.join(', ')})`, { param: 'tool_choice.function.name' });
  }
  checkToolHistory(request.messages);
  const options: AgentOptions = {};
  if (tools.length > 0) {
    options.tools = tools.map(({ function: fn }) => ({
      name: fn.name,
      ...(fn.description ? { description: fn.description } : {}),
      ...(fn.parameters ? { parameters: fn.parameters } : {}),
      ...(fn.strict ? { strict: true } : {}),
    }));
    options.tool_choice = typeof choice === 'object' ? { name: choice.function.name } : (choice ?? 'auto');
    if (request.parallel_tool_calls === false) options.parallel_tool_calls = false;
  }
  const format = jsonFormatOf(request.response_format);
  if (format) options.response_format = format;
  return options;
}

function jsonFormatOf(format: AgentRequestFields['response_format']): JsonResponseFormat | undefined {
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  const { name, schema, strict } = format.json_schema;
  if (schema && JSON.stringify(schema).length > MAX_SCHEMA_JSON_CHARS) throw new ApiError(400, 'invalid_field', `The schema takes more than ${MAX_SCHEMA_JSON_CHARS} characters of JSON`, { param: 'response_format.json_schema.schema' });
  return { type: 'json_schema', name, schema: schema ?? {}, strict: strict === true };
}

/** A tool turn must answer a call an earlier assistant turn made; only assistant turns make calls. */
function checkToolHistory(messages: AgentRequestFields['messages']): void {
  const called = new Set<string>();
  messages.forEach((message, index) => {
    if (message.tool_calls?.length) {
      if (message.role !== 'assistant') throw new ApiError(400, 'invalid_field', 'Only assistant messages carry tool_calls', { param: fieldPath('messages', index, 'tool_calls') });
      for (const call of message.tool_calls) called.add(call.id);
    }
    if (message.role === 'tool') {
      if (!message.tool_call_id) throw new ApiError(400, 'invalid_field', 'A tool message needs the tool_call_id it answers', { param: fieldPath('messages', index, 'tool_call_id') });
      if (!called.has(message.tool_call_id)) throw new ApiError(400, 'invalid_field', `tool_call_id ${message.tool_call_id} answers no tool call of an earlier assistant message`, { param: fieldPath('messages', index, 'tool_call_id') });
    }
  });
}

/** One request message as a prompt turn: text content, plus its calls or the call it answers. */
export function promptMessage(message: AgentRequestFields['messages'][number], text: string): ChatMessage {
  const role = message.role === 'developer' ? 'system' : (message.role as ChatMessage['role']);
  if (role === 'tool') return { role, content: text, tool_call_id: message.tool_call_id! };
  if (message.tool_calls?.length) return { role, content: text, tool_calls: message.tool_calls.map((call) => ({ id: call.id, name: call.function.name, arguments: call.function.arguments })) };
  return { role, content: text };
}
