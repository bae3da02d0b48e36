// Every documented response variant of the models whose parsers changed for issue 18, run through
// the real parser (docs/upstreams.md lists them; sources in /work/shared/reference/UPSTREAMS.md).
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/contracts/errors';
import { errorDetail } from '../../src/providers/huggingface/transport';
import { workersAiDelta } from '../../src/providers/workers-ai/chat';
import { responseText } from '../../src/providers/workers-ai/response-text';
import { hfEmbeddingRows } from '../../src/tasks/embed/providers';
import { fromToxicityScores, probabilities } from '../../src/tasks/moderate/providers';
import { parseLlamaGuard } from '../../src/tasks/moderate/llama-guard';

const throws = (work: () => unknown): ApiError => {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected an ApiError');
};

describe('@cf/meta/llama-3.2-1b-instruct stream events', () => {
  it.each([
    ['native string', '{"response":"Hello"}', 'Hello'],
    ['native with padding', '{"response":" world","p":"abcdef"}', ' world'],
    ['native number (a year)', '{"response":2024}', '2024'],
    ['native object', '{"response":{"a":1}}', '{"a":1}'],
    ['usage-only last event', '{"response":"","usage":{"prompt_tokens":3,"completion_tokens":5},"finish_reason":"stop"}', ''],
    ['OpenAI chunk', '{"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}', 'Hi'],
    ['OpenAI usage chunk', '{"id":"x","choices":[],"usage":{"prompt_tokens":1}}', ''],
  ])('%s', (_name, payload, delta) => {
    expect(workersAiDelta(payload)).toBe(delta);
  });

  it('a mid-stream errors event is the error it names; a non-JSON event is a bad response', () => {
    expect(throws(() => workersAiDelta('{"errors":[{"code":3040,"message":"Capacity temporarily exceeded"}]}')).code).toBe('upstream_overloaded');
    expect(throws(() => workersAiDelta('{"response": "unfinish')).code).toBe('upstream_bad_response');
  });

  it('whole answers: string, number, object, absent', () => {
    expect([responseText('x'), responseText(7), responseText({ k: 'v' }), responseText(undefined)]).toEqual(['x', '7', '{"k":"v"}', undefined]);
  });
});

describe('HF feature-extraction bodies', () => {
  it.each([
    ['number[][] (spec, TEI)', [[0.1, 0.2], [0.3, 0.4]], 2, [[0.1, 0.2], [0.3, 0.4]]],
    ['bare number[] for one text (serverless)', [0.1, 0.2], 1, [[0.1, 0.2]]],
  ])('%s', (_name, raw, texts, rows) => {
    expect(hfEmbeddingRows(raw, texts)).toEqual(rows);
  });

  it('token-level number[][][] and a bare row for several texts are refused', () => {
    expect(throws(() => hfEmbeddingRows([[[0.1], [0.2]]], 1)).code).toBe('upstream_bad_response');
    expect(throws(() => hfEmbeddingRows([0.1, 0.2], 2)).code).toBe('upstream_bad_response');
  });
});

describe('unitary/toxic-bert bodies', () => {
  const sigmoidScores = [{ label: 'toxic', score: 0.97 }, { label: 'obscene', score: 0.9 }, { label: 'insult', score: 0.9 }, { label: 'threat', score: 0.003 }];
  const logits = sigmoidScores.map(({ label, score }) => ({ label, score: Math.log(score / (1 - score)) }));

  it('Toolkit/serverless sigmoid scores and TEI raw logits flag the same categories', () => {
    const fromToolkit = fromToxicityScores(probabilities(sigmoidScores));
    const fromTei = fromToxicityScores(probabilities(logits));
    expect(fromTei).toEqual(fromToolkit);
    expect(fromToolkit.categories.map((entry) => entry.category)).toEqual(expect.arrayContaining(['toxic', 'obscene', 'insult']));
  });
});

describe('@cf/meta/llama-guard-3-8b bodies', () => {
  it('answers as a JSON object or as text', () => {
    expect(parseLlamaGuard({ response: { safe: true, categories: [] } }).flagged).toBe(false);
    expect(parseLlamaGuard({ response: { safe: false, categories: ['S1'] } }).flagged).toBe(true);
    expect(parseLlamaGuard({ response: 'unsafe\nS1' }).flagged).toBe(true);
  });
});

describe('error bodies', () => {
  it.each([
    ['HF {error: string}', { error: 'Model is loading' }, 'Model is loading'],
    ['OpenAI/vLLM {error: {message}}', { error: { message: 'The model `x` does not exist.', type: 'NotFoundError', code: 404 } }, 'The model `x` does not exist.'],
    ['TEI {error, error_type}', { error: 'batch size 50 > maximum allowed batch size 32', error_type: 'Validation' }, 'batch size 50 > maximum allowed batch size 32'],
    ['FastAPI {detail}', { detail: 'Not Found' }, 'Not Found'],
    ['text', 'Bad Gateway', 'Bad Gateway'],
  ])('%s', (_name, body, detail) => {
    expect(errorDetail(body)).toBe(detail);
  });
});
