import { Validator, type Schema } from '@cfworker/json-schema';
import { ApiError } from '../contracts/errors';
import type { ProviderId } from '../contracts/provider-ids';
import type { GenerationRequest, GenerationResult, ToolCall } from './chat-types';

/**
 * The model broke the contract the caller asked for (JSON output, a schema, a tool call). A 502 so
 * the answer is neither cached nor passed on; not an upstream fault code, so one tenant's hard
 * schema cannot open the provider's circuit for everyone (circuit-breaker.ts).
 */
export function invalidModelOutput(provider: ProviderId, detail: string): ApiError {
  return new ApiError(502, 'invalid_model_output', `The model's answer (${provider}) did not meet the request: ${detail}. Nothing was passed on; retrying may help, or loosen the schema`);
}

/**
 * The first few schema violations, as "`/path`: message". A schema that cannot be evaluated (an
 * unresolvable `$ref`, a `pattern` that is no regular expression) is the caller's error: 400 on `param`.
 */
function violations(schema: Record<string, unknown>, value: unknown, param: string): string | undefined {
  let result;
  try {
    result = new Validator(schema as Schema, '2020-12', false).validate(value);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
    throw new ApiError(400, 'invalid_field', `The JSON Schema cannot be evaluated: ${reason}`, { param });
  }
  if (result.valid) return undefined;
  // The validator reports each failing keyword and its parents; the leaf errors say the most.
  const leaves = result.errors.filter((error) => !result.errors.some((other) => other !== error && other.instanceLocation.startsWith(error.instanceLocation) && other.keywordLocation.startsWith(`${error.keywordLocation}/`)));
  return leaves
    .slice(0, 3)
    .map((error) => `\`${error.instanceLocation.replace(/^#/, '') || '/'}\`: ${error.error}`)
    .join('; ');
}

function parsed(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/**
 * Holds a generation to what the request asked for, whichever provider wrote it:
 * - `json_object`: the content parses as a JSON object (OpenAI's JSON mode answers an object);
 * - `json_schema`: it parses as JSON, and with `strict` it validates against the schema;
 * - tools: each call names an offered function and its arguments parse as a JSON object
 *   (validated against `parameters` when the function is `strict`); `tool_choice` `required` or a
 *   named function needs a call (of that function); `none` allows none; `parallel_tool_calls:
 *   false` keeps the first call only.
 * Returns the result to pass on, or throws invalidModelOutput.
 */
export function checkStructuredOutput(provider: ProviderId, request: GenerationRequest, result: GenerationResult): GenerationResult {
  let calls = result.tool_calls ?? [];
  for (const call of calls) checkCall(provider, request, call);
  if (calls.length === 0) checkCallMade(provider, request);
  else if (request.parallel_tool_calls === false) calls = calls.slice(0, 1);
  const format = request.response_format;
  if (format && calls.length === 0) {
    const json = parsed(result.text.trim());
    if (!json.ok) throw invalidModelOutput(provider, 'the content is not valid JSON');
    if (format.type === 'json_object' && (typeof json.value !== 'object' || json.value === null || Array.isArray(json.value))) throw invalidModelOutput(provider, 'the content is JSON but not an object');
    if (format.type === 'json_schema' && format.strict) {
      const problems = violations(format.schema, json.value, 'response_format.json_schema.schema');
      if (problems) throw invalidModelOutput(provider, `the content does not match the schema ${format.name} — ${problems}`);
    }
  }
  return calls.length > 0 ? { ...result, tool_calls: calls } : { text: result.text, ...(result.usage ? { usage: result.usage } : {}) };
}

/** A `required` or named tool_choice needs a call: throws when the answer made none. */
export function checkCallMade(provider: ProviderId, request: GenerationRequest): void {
  const choice = request.tool_choice ?? 'auto';
  if (request.tools?.length && (choice === 'required' || typeof choice === 'object')) {
    throw invalidModelOutput(provider, typeof choice === 'object' ? `it did not call ${choice.name} as tool_choice required` : 'it called no function though tool_choice is "required"');
  }
}

/**
 * One function call, whole: calls must be allowed at all, name an offered function (the named
 * one when tool_choice names one), and carry a JSON object as arguments — validated against the
 * function's `parameters` when it is `strict`.
 */
export function checkCall(provider: ProviderId, request: GenerationRequest, call: ToolCall): void {
  const choice = request.tool_choice;
  if (!request.tools?.length || choice === 'none') throw invalidModelOutput(provider, 'it called a function though none was allowed');
  const tool = request.tools.find((candidate) => candidate.name === call.name);
  if (!tool) throw invalidModelOutput(provider, `it called ${JSON.stringify(call.name.slice(0, 64))}, which is not one of the tools offered`);
  if (typeof choice === 'object' && choice.name !== call.name) throw invalidModelOutput(provider, `it called ${call.name} though tool_choice named ${choice.name}`);
  const json = parsed(call.arguments);
  if (!json.ok || typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) throw invalidModelOutput(provider, `the arguments of its ${call.name} call are not a JSON object`);
  if (tool.strict && tool.parameters) {
    const problems = violations(tool.parameters, json.value, `tools.${request.tools.indexOf(tool)}.function.parameters`);
    if (problems) throw invalidModelOutput(provider, `the arguments of its ${call.name} call do not match the function's parameters — ${problems}`);
  }
}
