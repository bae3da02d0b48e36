import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chatGenerationTask } from '../../src/tasks/chat/task';
import { QUOTING_INTRO, quotedAnswer } from '../../src/providers/local/chat-quote';
import { callProvider, describeProviderContract, describeUpstreamFaults, failureOf } from '../support/provider-contract';
import { generationRequest } from '../support/generation-request';

const request = generationRequest;

describeProviderContract(chatGenerationTask, {
  items: [request('How long do refunds take?')],
  options: {},
  result: z.object({ text: z.string().min(1) }),
  check: ([result], provider) => {
    // The local tier quotes the sentences that share words with the question, not the whole passage.
    if (provider === 'local') expect(result!.text).toBe(`${QUOTING_INTRO}\n\n> Refunds take 5 days. [1]`);
    else expect(result!.text).toBe('Refunds take 5 days. [1]');
  },
});

describeUpstreamFaults(chatGenerationTask, (directive) => request(`How long do refunds take? ${directive}`), {});

describe('the local quoting tier', () => {
  it('quotes the best source always, and further sources only when they share words with the question', () => {
    const sources = [
      { index: 1, title: 'Shipping', text: 'Express shipping arrives the next business day.\nStandard shipping takes a week.' },
      { index: 2, title: 'Refunds', text: 'Refunds take 5 days. Gift cards are final.' },
      { index: 3, title: 'Express orders', text: 'Express orders\n\nExpress orders placed after 2 pm ship the next day.' },
    ];
    const text = quotedAnswer({ messages: [], max_tokens: 64, question: 'How fast is express shipping?', sources });
    expect(text).toBe(`${QUOTING_INTRO}\n\n> Express shipping arrives the next business day. Standard shipping takes a week. [1]\n\n> Express orders placed after 2 pm ship the next day. [3]`);
  });
});

describe('chat providers: streaming', () => {
  it.each(['workers-ai', 'huggingface', 'local'] as const)('%s streams the same answer it gives whole', async (provider) => {
    const mapping = chatGenerationTask.providers.find((candidate) => candidate.provider === provider)!;
    const item = request('How long do refunds take?');
    const [whole] = await callProvider(chatGenerationTask, provider, [item], {});
    const deltas: string[] = [];
    for await (const delta of mapping.stream!({ env, task: 'chat', items: [item], options: {}, signal: AbortSignal.timeout(1_000), model: mapping.model })) if (typeof delta === 'string') deltas.push(delta);
    expect(deltas.join('')).toBe(whole!.text);
    if (provider !== 'local') expect(deltas.length).toBeGreaterThan(2);
  });

  it('a mid-stream error event on either provider throws an upstream error after the first deltas', async () => {
    for (const [provider, directive, code] of [['workers-ai', '[[ai:stream-break]]', 'upstream_overloaded'], ['huggingface', '[[hf:stream-break]]', 'upstream_error']] as const) {
      const mapping = chatGenerationTask.providers.find((candidate) => candidate.provider === provider)!;
      const deltas: string[] = [];
      const error = await failureOf(
        (async () => {
          for await (const delta of mapping.stream!({ env, task: 'chat', items: [request(`Refunds? ${directive}`)], options: {}, signal: AbortSignal.timeout(1_000), model: mapping.model })) if (typeof delta === 'string') deltas.push(delta);
        })(),
      );
      expect(deltas.length, provider).toBeGreaterThan(0);
      expect(error.code, provider).toBe(code);
    }
  });
});
