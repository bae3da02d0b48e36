// The smaller wire errors of issue 18 (item 8): Workers AI 3036 waits until 00:00 UTC, a code
// carried as `error.code`, the plain-fetch rerank path keeps HF's Retry-After, OpenAI-style error bodies, HF 402.
import { describe, expect, it } from 'vitest';
import { errorDetail } from '../../src/providers/huggingface/transport';
import { mapWorkersAiError, secondsUntilUtcMidnight } from '../../src/providers/workers-ai/transport';
import { embedTask } from '../../src/tasks/embed/task';
import { rerankTask } from '../../src/tasks/rerank/task';
import { sentimentTask } from '../../src/tasks/sentiment/task';
import { callProvider, failureOf } from '../support/provider-contract';

describe('Workers AI errors', () => {
  it('3036 (daily free neurons used) answers Retry-After until 00:00 UTC', async () => {
    const at = Date.parse('2026-12-03T22:30:00Z');
    expect(secondsUntilUtcMidnight(at)).toBe(90 * 60);
    const mapped = mapWorkersAiError(new Error('InferenceUpstreamError: 3036: You have used up your daily free allocation of 10,000 neurons.'), at);
    expect([mapped.status, mapped.code, mapped.headers['Retry-After']]).toEqual([503, 'upstream_overloaded', '5400']);
    // Through the stand-in binding, the header is the real time left today.
    const error = await failureOf(callProvider(sentimentTask, 'workers-ai', ['great [[ai:3036]]'], {}));
    expect(Number(error.headers['Retry-After'])).toBeGreaterThan(1);
    expect(Number(error.headers['Retry-After'])).toBeLessThanOrEqual(secondsUntilUtcMidnight() + 1);
    // 3040 (capacity) is still a short wait.
    expect(mapWorkersAiError(new Error('3040: Capacity temporarily exceeded, please try again.')).headers['Retry-After']).toBe('1');
  });

  it('reads a code carried as an `error.code` property when the message has none', () => {
    const withCode = Object.assign(new Error('Capacity temporarily exceeded, please try again.'), { code: 3040 });
    expect([mapWorkersAiError(withCode).status, mapWorkersAiError(withCode).code]).toEqual([503, 'upstream_overloaded']);
    const stringCode = Object.assign(new Error('The model name is invalid'), { code: '3042' });
    expect(mapWorkersAiError(stringCode).code).toBe('upstream_rejected');
    expect(mapWorkersAiError(new Error('AiInternalError: boom')).code).toBe('upstream_error');
  });
});

describe('Hugging Face errors', () => {
  it('the plain-fetch rerank path keeps HF\'s Retry-After on a 429', async () => {
    const error = await failureOf(callProvider(rerankTask, 'huggingface', [{ query: 'q [[hf:429-retry-after]]', documents: ['a'] }], {}));
    expect([error.status, error.code, error.headers['Retry-After']]).toEqual([503, 'upstream_overloaded', '7']);
  });

  it('an OpenAI-style {error: {message}} body reads as its message, on the client path and the plain-fetch path', async () => {
    expect(errorDetail({ error: { message: 'nested', type: 'x' } })).toBe('nested');
    expect(errorDetail({ error: 'flat' })).toBe('flat');
    expect(errorDetail({ detail: 'fastapi' })).toBe('fastapi');
    for (const failure of [
      failureOf(callProvider(embedTask, 'huggingface', ['text [[hf:openai-error]]'], {})),
      failureOf(callProvider(rerankTask, 'huggingface', [{ query: 'q [[hf:openai-error]]', documents: ['a'] }], {})),
    ]) {
      const error = await failure;
      expect(error.code).toBe('upstream_rejected');
      expect(error.message).toContain('Input validation error: inputs too long');
      expect(error.message).not.toContain('[object Object]');
    }
  });

  it('402 (credits exhausted) is its own code, on the client path and the plain-fetch path', async () => {
    for (const failure of [
      failureOf(callProvider(sentimentTask, 'huggingface', ['great [[hf:402]]'], {})),
      failureOf(callProvider(rerankTask, 'huggingface', [{ query: 'q [[hf:402]]', documents: ['a'] }], {})),
    ]) {
      const error = await failure;
      expect([error.status, error.code]).toEqual([502, 'upstream_credits_exhausted']);
      expect(error.message).toContain('exceeded your monthly included credits');
    }
  });
});
