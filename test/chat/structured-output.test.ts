import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/contracts/errors';
import type { GenerationRequest, GenerationResult } from '../../src/providers/chat-types';
import { checkStructuredOutput } from '../../src/providers/structured-output';

const base: GenerationRequest = { messages: [{ role: 'user', content: 'Hi' }], max_tokens: 64, question: 'Hi', sources: [] };
const weather = { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } };
const call = (name: string, args: string) => ({ id: 'call_1', name, arguments: args });

function refusal(request: GenerationRequest, result: GenerationResult): string {
  try {
    checkStructuredOutput('huggingface', request, result);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 502, code: 'invalid_model_output' });
    return (error as ApiError).message;
  }
  throw new Error('expected the output to be refused');
}

describe('checkStructuredOutput: what the model wrote against what was asked', () => {
  it('passes plain text and valid answers through, unchanged', () => {
    expect(checkStructuredOutput('workers-ai', base, { text: 'Hello', usage: { prompt_tokens: 1, completion_tokens: 1 } })).toEqual({ text: 'Hello', usage: { prompt_tokens: 1, completion_tokens: 1 } });
    const tools = { ...base, tools: [weather] };
    expect(checkStructuredOutput('workers-ai', tools, { text: '', tool_calls: [call('get_weather', '{"city":"Oslo"}')] }).tool_calls).toHaveLength(1);
    expect(checkStructuredOutput('workers-ai', { ...base, response_format: { type: 'json_object' } }, { text: ' {"a": 1} ' }).text).toBe(' {"a": 1} ');
  });

  it('json_object: JSON, and an object', () => {
    const request: GenerationRequest = { ...base, response_format: { type: 'json_object' } };
    expect(refusal(request, { text: 'Sure: {"a": 1}' })).toMatch(/not valid JSON/);
    expect(refusal(request, { text: '[1, 2]' })).toMatch(/not an object/);
  });

  it('json_schema: validated only when strict, naming the failing path', () => {
    const schema = { type: 'object', properties: { age: { type: 'integer', minimum: 0 } }, required: ['age'] };
    const loose: GenerationRequest = { ...base, response_format: { type: 'json_schema', name: 'person', schema, strict: false } };
    expect(checkStructuredOutput('workers-ai', loose, { text: '{"age": "old"}' }).text).toBe('{"age": "old"}');
    const strict: GenerationRequest = { ...base, response_format: { type: 'json_schema', name: 'person', schema, strict: true } };
    expect(refusal(strict, { text: '{"age": -3}' })).toMatch(/schema person — `\/age`/);
    expect(refusal(strict, { text: '{}' })).toMatch(/required property "age"/);
  });

  it('a schema that cannot be evaluated is the caller\'s 400, on the field that holds it', () => {
    const request: GenerationRequest = { ...base, response_format: { type: 'json_schema', name: 'x', schema: { $ref: '#/nowhere' }, strict: true } };
    expect(() => checkStructuredOutput('workers-ai', request, { text: '{}' })).toThrow(expect.objectContaining({ status: 400, param: 'response_format.json_schema.schema' }));
    const tools: GenerationRequest = { ...base, tools: [weather, { name: 'odd', strict: true, parameters: { type: 'object', properties: { a: { type: 'string', pattern: '(' } } } }] };
    expect(() => checkStructuredOutput('workers-ai', tools, { text: '', tool_calls: [call('odd', '{"a": "x"}')] })).toThrow(expect.objectContaining({ status: 400, param: 'tools.1.function.parameters' }));
  });

  it('tool calls: offered, allowed, JSON-object arguments, strict arguments', () => {
    const request: GenerationRequest = { ...base, tools: [weather] };
    expect(refusal(request, { text: '', tool_calls: [call('delete_everything', '{}')] })).toMatch(/not one of the tools offered/);
    expect(refusal(request, { text: '', tool_calls: [call('get_weather', '"Oslo"')] })).toMatch(/not a JSON object/);
    expect(refusal({ ...request, tool_choice: 'none' }, { text: '', tool_calls: [call('get_weather', '{}')] })).toMatch(/none was allowed/);
    expect(refusal(base, { text: '', tool_calls: [call('get_weather', '{}')] })).toMatch(/none was allowed/);
    // Not strict: arguments that miss a property pass (OpenAI's non-strict functions are best effort).
    expect(checkStructuredOutput('workers-ai', request, { text: '', tool_calls: [call('get_weather', '{}')] }).tool_calls).toHaveLength(1);
    expect(refusal({ ...base, tools: [{ ...weather, strict: true }] }, { text: '', tool_calls: [call('get_weather', '{}')] })).toMatch(/required property "city"/);
  });

  it('tool_choice required or named needs that call; parallel_tool_calls false keeps the first', () => {
    const lookup = { name: 'lookup_order', parameters: { type: 'object', properties: {} } };
    expect(refusal({ ...base, tools: [weather], tool_choice: 'required' }, { text: 'It is sunny.' })).toMatch(/"required"/);
    expect(refusal({ ...base, tools: [weather, lookup], tool_choice: { name: 'lookup_order' } }, { text: '', tool_calls: [call('get_weather', '{}')] })).toMatch(/tool_choice named lookup_order/);
    const two = { text: '', tool_calls: [call('get_weather', '{}'), { ...call('lookup_order', '{}'), id: 'call_2' }] };
    expect(checkStructuredOutput('workers-ai', { ...base, tools: [weather, lookup] }, two).tool_calls).toHaveLength(2);
    expect(checkStructuredOutput('workers-ai', { ...base, tools: [weather, lookup], parallel_tool_calls: false }, two).tool_calls!.map((c) => c.name)).toEqual(['get_weather']);
  });
});
