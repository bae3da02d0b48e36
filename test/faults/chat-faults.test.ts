import { beforeEach, describe, expect, it } from 'vitest';
import { INTERRUPTED_NOTE, STREAM_TOTAL_TIMEOUTS } from '../../src/chat/generate';
import { resetCircuits } from '../../src/providers/circuit-breaker';
import { env } from 'cloudflare:test';
import { aiCallsFor, call, hfCallsFor, json } from '../support/api';
import { chat, createKnowledgeBase, readEvents, tenantWithBot, type SseEvent } from '../chat/support';
import { expectBoundedCalls, expectUpstreamError, SLACK_MS, timed, TIMEOUT_MS } from './support';

const QUESTION = 'How long do refunds take?';
const CHAT_AI = '@cf/meta/llama-3.2-1b-instruct';
const FULL_ANSWER = 'Refunds are paid back to the original card within 5 business days. [1]';

const streamedText = (events: SseEvent[]) => events.filter((event) => event.event === 'delta').map((event) => event.data.content).join('');

/** A bot whose instructions carry the directives (and a marker, so the stand-ins' counts are this test's). */
async function botWith(directives: string, providers?: string[]) {
  const marker = crypto.randomUUID();
  const { tenant, bot } = await tenantWithBot({ instructions: `Be brief. ${directives} ${marker}`, ...(providers ? { providers } : {}) });
  return { tenant, bot, marker };
}

async function streamed(directives: string, providers?: string[]) {
  const { tenant, bot, marker } = await botWith(directives, providers);
  const started = Date.now();
  const response = await chat(tenant.auth, { bot: bot.id, message: QUESTION, stream: true });
  const events = await readEvents(response);
  return { events, done: events.at(-1)!.data, ms: Date.now() - started, marker };
}

beforeEach(() => resetCircuits());

describe('chat, not streamed', () => {
  it('a Workers AI fault falls back to Hugging Face, one call each', async () => {
    const { tenant, bot, marker } = await botWith('[[ai:3040]]');
    const body = await json(await chat(tenant.auth, { bot: bot.id, message: QUESTION }));
    expect(body).toMatchObject({ provider: 'huggingface', message: { content: FULL_ANSWER }, fallback_from: [{ provider: 'workers-ai', code: 'upstream_overloaded' }] });
    await expectBoundedCalls(marker, { ai: 1, hf: 1 });
  });

  it('both language models hanging: the local tier quotes the sources after two timeouts', async () => {
    const { tenant, bot, marker } = await botWith('[[ai:hang]] [[hf:hang]]');
    const result = await timed(() => chat(tenant.auth, { bot: bot.id, message: QUESTION }));
    expect(result.body).toMatchObject({ provider: 'local', mode: 'quoted' });
    expect(result.ms).toBeLessThan(2 * TIMEOUT_MS + SLACK_MS);
    await expectBoundedCalls(marker, { ai: 1, hf: 1 });
  });

  it('no provider left: the last upstream error, in the one error shape', async () => {
    const { tenant, bot, marker } = await botWith('[[ai:3040]] [[hf:loading]]', ['workers-ai', 'huggingface']);
    const result = await timed(() => chat(tenant.auth, { bot: bot.id, message: QUESTION }));
    expectUpstreamError(result, 503, 'upstream_unavailable');
    expect(result.response.headers.get('retry-after')).toBe('20');
    await expectBoundedCalls(marker, { ai: 1, hf: 1 });
  });
});

describe('chat, streamed: slow and stopped streams', () => {
  it('a slow drip (each token inside the idle timeout, the whole answer past it) is not cut', async () => {
    const { events, done, ms, marker } = await streamed('[[ai:stream-drip]]');
    expect(streamedText(events)).toBe(FULL_ANSWER);
    expect(done).toMatchObject({ provider: 'workers-ai', message: { content: FULL_ANSWER } });
    expect(done.fallback_from ?? []).toEqual([]);
    expect(ms).toBeGreaterThan(2 * TIMEOUT_MS);
    await expectBoundedCalls(marker, { ai: 1 });
  });

  it(`a drip longer than ${STREAM_TOTAL_TIMEOUTS} timeouts is cut there and continued by the next model`, async () => {
    const { events, done, ms, marker } = await streamed('[[ai:stream-drip-long]]');
    expect(streamedText(events)).toBe(FULL_ANSWER);
    expect(done).toMatchObject({ provider: 'workers-ai', continued_by: [{ provider: 'huggingface' }], fallback_from: [{ provider: 'workers-ai', code: 'upstream_timeout' }] });
    expect(ms).toBeGreaterThanOrEqual(STREAM_TOTAL_TIMEOUTS * TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(STREAM_TOTAL_TIMEOUTS * TIMEOUT_MS + SLACK_MS);
    await expectBoundedCalls(marker, { ai: 1, hf: 1 });
  }, 20_000);

  it('a Hugging Face stream that drips also finishes, from Hugging Face', async () => {
    const { events, done, marker } = await streamed('[[hf:stream-drip]]', ['huggingface', 'local']);
    expect(streamedText(events)).toBe(FULL_ANSWER);
    expect(done).toMatchObject({ provider: 'huggingface' });
    await expectBoundedCalls(marker, { hf: 1 });
  });

  it('a Hugging Face stream that stalls mid-answer ends within the idle timeout, finished by the local tier', async () => {
    const { events, done, ms, marker } = await streamed('[[hf:stream-stall]]', ['huggingface', 'local']);
    expect(events.map((event) => event.event)).not.toContain('error');
    expect(done).toMatchObject({ provider: 'huggingface', continued_by: [{ provider: 'local' }], fallback_from: [{ provider: 'huggingface', code: 'upstream_timeout' }] });
    expect(done.message.content).toContain(INTERRUPTED_NOTE);
    expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    await expectBoundedCalls(marker, { hf: 1 });
  });

  it('an event that is not JSON, mid-answer, is a bad response: the next model continues', async () => {
    const { events, done, marker } = await streamed('[[ai:stream-garbage]]');
    expect(streamedText(events)).toBe(FULL_ANSWER);
    expect(done).toMatchObject({ provider: 'workers-ai', continued_by: [{ provider: 'huggingface' }], fallback_from: [{ provider: 'workers-ai', code: 'upstream_bad_response' }] });
    await expectBoundedCalls(marker, { ai: 1, hf: 1 });
    const hf = await streamed('[[hf:stream-garbage]]', ['huggingface', 'local']);
    expect(hf.done).toMatchObject({ provider: 'huggingface', continued_by: [{ provider: 'local' }], fallback_from: [{ provider: 'huggingface', code: 'upstream_bad_response' }] });
    await expectBoundedCalls(hf.marker, { hf: 1 });
  });

  it('both stalling: two idle timeouts, then the local note — never a hang', async () => {
    const { done, ms, marker } = await streamed('[[ai:stream-stall]] [[hf:stream-stall]]');
    expect(done).toMatchObject({ provider: 'workers-ai', continued_by: [{ provider: 'huggingface' }, { provider: 'local' }] });
    expect(done.message.content).toContain(INTERRUPTED_NOTE);
    expect(ms).toBeLessThan(2 * TIMEOUT_MS + SLACK_MS);
    await expectBoundedCalls(marker, { ai: 1, hf: 1 });
  });

  it('a stream that fails before its first token, with nothing after it, ends in an error event with the upstream code', async () => {
    const { events, marker } = await streamed('[[ai:hang]] [[hf:504]]', ['workers-ai', 'huggingface']);
    expect(events.map((event) => event.event)).toEqual(['start', 'error']);
    expect(events[1]!.data.error).toMatchObject({ code: 'upstream_timeout', request_id: expect.any(String) });
    await expectBoundedCalls(marker, { ai: 1, hf: 1 });
  });
});

describe('knowledge-base search', () => {
  it('a query the embedding model cannot embed is a clear 503/504, with one call', async () => {
    const { tenant } = await tenantWithBot();
    const kb = await createKnowledgeBase(tenant.auth, undefined, '@cf/baai/bge-small-en-v1.5');
    for (const [directive, status, code] of [['3040', 503, 'upstream_overloaded'], ['hang', 504, 'upstream_timeout']] as const) {
      const query = `refund time [[ai:${directive}]] ${crypto.randomUUID()}`;
      const result = await timed(() => call(`/v1/kb/${kb.id}/search`, { headers: tenant.auth, body: { query } }));
      expectUpstreamError(result, status, code);
      expect(result.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      expect(await aiCallsFor(query)).toBe(1);
      expect(await hfCallsFor(query)).toBe(0);
    }
  });
});

describe('OpenAI-compatible chat with a named model (the caller chose it: no fallback)', () => {
  // The input guardrail (moderation, Workers AI then Hugging Face) reads the same message, so it
  // meets the directive first and falls back; then the named model fails, once.
  it.each([
    ['[[ai:hang]]', 504, 'upstream_timeout'],
    ['[[ai:3040]]', 503, 'upstream_overloaded'],
    ['[[ai:wrong-shape]]', 502, 'upstream_bad_response'],
  ] as const)('%s → %i %s, one call to the model, within a timeout per step', async (directive, status, code) => {
    const { tenant } = await tenantWithBot();
    const content = `Hello there. ${directive} ${crypto.randomUUID()}`;
    const result = await timed(() =>
      call('/v1/chat/completions', { headers: tenant.auth, body: { model: CHAT_AI, messages: [{ role: 'user', content }] } }),
    );
    expectUpstreamError(result, status, code);
    expect(result.ms).toBeLessThan(2 * TIMEOUT_MS + SLACK_MS);
    expect(await env.AI_CONTROL.callsFor(content, CHAT_AI)).toBe(1);
    await expectBoundedCalls(content, { ai: 2, hf: 1 });
  });
});
