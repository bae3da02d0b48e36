// Workers AI text generation sometimes answers `response` as a number or an object (issue 18,
// item 4); Cloudflare's own SDK turns it back into text. Stand-in: [[ai:response-number]],
// [[ai:response-object]] (test/fakes/ai-models/chat.mjs, summarize.mjs).
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { GenerationRequest } from '../../src/providers/chat-types';
import { workersAiDelta } from '../../src/providers/workers-ai/chat';
import { responseText } from '../../src/providers/workers-ai/response-text';
import { chatGenerationTask } from '../../src/tasks/chat/task';
import { summarizeTask } from '../../src/tasks/summarize/task';
import { callProvider } from '../support/provider-contract';
import { generationRequest } from '../support/generation-request';

const request = generationRequest;

async function streamed(item: GenerationRequest): Promise<string> {
  const mapping = chatGenerationTask.providers.find((candidate) => candidate.provider === 'workers-ai')!;
  let text = '';
  for await (const delta of mapping.stream!({ env, task: 'chat', items: [item], options: {}, signal: AbortSignal.timeout(2_000), model: mapping.model })) text += delta;
  return text;
}

describe('Workers AI response as a number or an object', () => {
  it('reads each form as the SDK does', () => {
    expect([responseText('a'), responseText(2024), responseText(0), responseText({ a: 1 }), responseText(null), responseText(undefined)]).toEqual(['a', '2024', '0', '{"a":1}', undefined, undefined]);
    expect(workersAiDelta('{"response":2024}')).toBe('2024');
    expect(workersAiDelta('{"response":0}')).toBe('0');
    expect(workersAiDelta('{"response":"","usage":{"prompt_tokens":1}}')).toBe('');
  });

  it('streamed: a numeric token is kept (the 5 in "5 days" does not vanish)', async () => {
    expect(await streamed(request('How long do refunds take? [[ai:response-number]]'))).toBe('Refunds take 5 days. [1]');
  });

  it('not streamed: chat answers a numeric or object response as text instead of a 502', async () => {
    const [number] = await callProvider(chatGenerationTask, 'workers-ai', [request('How long? [[ai:response-number]]')], {});
    expect(number!.text).toBe('5');
    const [object] = await callProvider(chatGenerationTask, 'workers-ai', [request('How long? [[ai:response-object]]')], {});
    expect(object!.text).toBe('{"answer":"Refunds take 5 days. [1]"}');
  });

  it('not streamed: summarize answers a numeric or object response as text instead of a 502', async () => {
    const text = 'The shop sold 2024 bikes last year. Sales grew in the spring.';
    const [number] = await callProvider(summarizeTask, 'workers-ai', [`${text} [[ai:response-number]]`], { max_words: 30 });
    expect(number!.summary).toBe('2024');
    const [object] = await callProvider(summarizeTask, 'workers-ai', [`${text} [[ai:response-object]]`], { max_words: 30 });
    expect(object!.summary).toContain('The shop sold 2024 bikes last year.');
  });
});
