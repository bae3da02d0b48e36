import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/contracts/errors';
import type { GenerationRequest, ToolCall } from '../../src/providers/chat-types';
import { ToolCallAssembler, type ToolCallFragment } from '../../src/providers/tool-call-stream';
import { buildPrompt } from '../../src/chat/prompt';
import { workersAiEvent } from '../../src/providers/workers-ai/chat';

const request = (overrides: Partial<GenerationRequest> = {}): GenerationRequest => ({
  messages: [{ role: 'user', content: 'hi' }],
  max_tokens: 64,
  question: 'hi',
  sources: [],
  tools: [
    { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: true },
    { name: 'lookup_order' },
  ],
  tool_choice: 'auto',
  ...overrides,
});

function assemble(fragments: ToolCallFragment[], options: Partial<GenerationRequest> = {}): ToolCall[] {
  const assembler = new ToolCallAssembler('workers-ai', request(options));
  return [...fragments.flatMap((fragment) => assembler.push(fragment)), ...assembler.finish()];
}

const failure = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected a failure');
};

describe('ToolCallAssembler', () => {
  it('joins fragments per index and completes a call when the next index starts', () => {
    const assembler = new ToolCallAssembler('huggingface', request());
    expect(assembler.push({ index: 0, id: 'call_a', name: 'get_weather', arguments: '' })).toEqual([]);
    expect(assembler.push({ index: 0, id: '', arguments: '{"ci' })).toEqual([]);
    expect(assembler.push({ index: 0, arguments: 'ty": "Oslo"}' })).toEqual([]);
    // An empty fragment of a known index adds nothing and closes nothing.
    expect(assembler.push({ index: 0, arguments: '' })).toEqual([]);
    expect(assembler.push({ index: 1, id: 'call_b', name: 'lookup_order', arguments: '{}' })).toEqual([{ id: 'call_a', name: 'get_weather', arguments: '{"city": "Oslo"}' }]);
    expect(assembler.finish()).toEqual([{ id: 'call_b', name: 'lookup_order', arguments: '{}' }]);
  });

  it("closes a call at Workers AI's null finalization entry, and reads whole flat calls without an index", () => {
    const assembler = new ToolCallAssembler('workers-ai', request());
    assembler.push({ index: 0, id: 'chatcmpl-tool-1', name: 'lookup_order', arguments: '{"order":' });
    assembler.push({ index: 0, arguments: ' 5}' });
    expect(assembler.push({ index: null, id: null, name: null, arguments: '' })).toEqual([{ id: 'chatcmpl-tool-1', name: 'lookup_order', arguments: '{"order": 5}' }]);

    const whole = assemble([
      { name: 'get_weather', arguments: { city: 'Rome' } },
      { name: 'lookup_order', arguments: { order: 1 } },
    ]);
    expect(whole.map(({ name, arguments: args }) => [name, JSON.parse(args)])).toEqual([
      ['get_weather', { city: 'Rome' }],
      ['lookup_order', { order: 1 }],
    ]);
    expect(whole.every((call) => /^call_[A-Za-z0-9]{24}$/.test(call.id))).toBe(true);
  });

  it('checks each call as soon as it is whole, as an unstreamed answer is checked', () => {
    const assembler = new ToolCallAssembler('workers-ai', request());
    assembler.push({ index: 0, id: 'x', name: 'not_offered', arguments: '{}' });
    const unknown = failure(() => assembler.push({ index: 1, id: 'y', name: 'lookup_order', arguments: '{}' }));
    expect(unknown).toMatchObject({ status: 502, code: 'invalid_model_output' });
    expect(unknown.message).toMatch(/not_offered.*not one of the tools/);

    expect(failure(() => assemble([{ index: 0, id: 'x', name: 'get_weather', arguments: '{"town": "Oslo"}' }])).message).toMatch(/city/);
    expect(failure(() => assemble([{ index: 0, id: 'x', name: 'lookup_order', arguments: '[1, 2]' }])).message).toMatch(/not a JSON object/);
    expect(failure(() => assemble([{ index: 0, id: 'x', arguments: '{}' }]))).toMatchObject({ code: 'upstream_bad_response' });
    expect(failure(() => assemble([{ index: 0, id: 'x', name: 'lookup_order', arguments: '{}' }], { tool_choice: 'none' })).message).toMatch(/none was allowed/);
  });

  it('holds tool_choice to its word at the end, and keeps the first call without parallel calls', () => {
    expect(failure(() => assemble([], { tool_choice: 'required' })).message).toMatch(/"required"/);
    expect(failure(() => assemble([], { tool_choice: { name: 'lookup_order' } })).message).toMatch(/did not call lookup_order/);
    expect(assemble([])).toEqual([]);
    const first = assemble(
      [
        { index: 0, id: 'a', name: 'lookup_order', arguments: '{}' },
        { index: 1, id: 'b', name: 'lookup_order', arguments: '{}' },
      ],
      { parallel_tool_calls: false },
    );
    expect(first.map((call) => call.id)).toEqual(['a']);
  });
});

describe('workersAiEvent', () => {
  it('reads tool-call fragments from native events and from OpenAI chunks', () => {
    expect(workersAiEvent('{"tool_calls":[{"id":"c1","type":"function","index":0,"function":{"name":"get_weather","arguments":"{\\"ci"}}]}')).toEqual({
      text: '',
      calls: [{ index: 0, id: 'c1', name: 'get_weather', arguments: '{"ci' }],
    });
    expect(workersAiEvent('{"response":"","tool_calls":[{"name":"lookup_order","arguments":{"order":3}}]}').calls).toEqual([{ index: null, id: null, name: 'lookup_order', arguments: { order: 3 } }]);
    expect(workersAiEvent('{"choices":[{"delta":{"content":"Hi","tool_calls":[{"index":1,"function":{"arguments":"}"}}]}}]}')).toEqual({ text: 'Hi', calls: [{ index: 1, id: null, name: null, arguments: '}' }] });
  });
});

describe('buildPrompt with an agent history', () => {
  it('counts calls in the budget and never starts the kept history with a tool result', () => {
    const call = { id: 'call_1', name: 'lookup_order', arguments: JSON.stringify({ order: 1, note: 'x'.repeat(400) }) };
    const history = [
      { role: 'user' as const, content: 'Order 1?' },
      { role: 'assistant' as const, content: '', tool_calls: [call] },
      { role: 'tool' as const, content: 'shipped', tool_call_id: 'call_1' },
      { role: 'assistant' as const, content: 'It shipped.' },
    ];
    // Room for the last turns only: the call (and its large arguments) does not fit, so its result goes too.
    const prompt = buildPrompt({ botName: 'Bot', instructions: '', passages: [], history, question: 'Thanks', budgetTokens: 220 });
    expect(prompt.messages.map((message) => message.role)).toEqual(['system', 'user']);
    const roomy = buildPrompt({ botName: 'Bot', instructions: '', passages: [], history, question: 'Thanks', budgetTokens: 4_000 });
    expect(roomy.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user']);
    expect(roomy.messages[2]!.tool_calls).toEqual([call]);
  });
});
