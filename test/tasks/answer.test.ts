import { describe, expect, it } from 'vitest';
import { alignToContext, codePointToUtf16Offset } from '../../src/tasks/answer/align';
import { parseReportedSpan } from '../../src/tasks/answer/providers';
import { answerResultSchema, MAX_CONTEXT_CHARS, MAX_QUESTION_CHARS, type AnswerItem, type AnswerResult } from '../../src/tasks/answer/schema';
import { answerTask } from '../../src/tasks/answer/task';
import { call, configureTask, createTenant, hfCallRecord, hfOrigin, json, uniqueText } from '../support/api';
import { callProvider, describeProviderContract, describeUpstreamFaults, failureOf } from '../support/provider-contract';

const BRIDGE =
  'The Golden Gate Bridge is a suspension bridge in California. Construction began in January 1933. ' +
  'The bridge opened to traffic in 1937 after four years of work. Joseph Strauss was its chief engineer.';
const ITEMS: AnswerItem[] = [
  { question: 'When did the bridge open to traffic?', context: BRIDGE },
  { question: 'In what month did construction begin?', context: BRIDGE },
  { question: 'Who was the chief engineer of the bridge?', context: BRIDGE },
];

const consistent = (item: AnswerItem, result: AnswerResult) => expect(item.context.slice(result.start, result.end)).toBe(result.answer);

describeProviderContract(answerTask, {
  items: ITEMS,
  options: {},
  result: answerResultSchema,
  check: (results, provider) => {
    results.forEach((result, index) => consistent(ITEMS[index]!, result));
    expect(results[0]!.answer).toContain('1937');
    expect(results[1]!.answer).toContain('1933');
    if (provider === 'local') expect(results[2]!.answer).toBe('Joseph Strauss was its chief engineer.');
  },
});

describeUpstreamFaults(answerTask, (directive) => ({ question: `When did it open? ${directive}`, context: BRIDGE }), {});

describe('answer offsets: always `context.slice(start, end)` in UTF-16 units', () => {
  const EMOJI = '🎉🎉 Party time! 🥳 The festival 🎪 starts on 12 June in Lyon. Tickets cost 40 euros.';

  it.each(answerTask.providers.map((mapping) => [mapping.provider] as const))('%s, with emoji before the answer', async (provider) => {
    const item = { question: 'When does the festival start?', context: EMOJI };
    const [result] = await callProvider(answerTask, provider, [item], {});
    consistent(item, result!);
    expect(result!.answer).toContain('12');
  });

  it('converts code-point offsets (Python) to UTF-16, trims whitespace, finds a misplaced answer', () => {
    const context = '😀 x Paris is big';
    expect(codePointToUtf16Offset(context, 4)).toBe(5);
    // "Paris" is at code points 4–9, UTF-16 units 5–10.
    expect(alignToContext(context, { answer: 'Paris', score: 0.9, start: 4, end: 9 })).toEqual({ answer: 'Paris', score: 0.9, start: 5, end: 10 });
    expect(alignToContext(context, { answer: ' Paris', score: 0.9, start: 4, end: 10 })).toMatchObject({ answer: 'Paris', start: 5, end: 10 });
    expect(alignToContext('Paris, then Paris', { answer: 'Paris', score: 2, start: 11, end: 14 })).toEqual({ answer: 'Paris', score: 1, start: 12, end: 17 });
    expect(alignToContext(context, { answer: '', score: 0.1, start: 0, end: 0 })).toEqual({ answer: '', score: 0.1, start: 0, end: 0 });
    expect(alignToContext(context, { answer: 'London', score: 0.9, start: 4, end: 10 })).toBeUndefined();
  });

  it('refuses an upstream answer that is not in the context, or a wrong shape', () => {
    expect(() => parseReportedSpan('abc', { answer: 'xyz', score: 1, start: 0, end: 3 })).toThrow(/not in the context/);
    expect(() => parseReportedSpan('abc', { answer: 'abc', score: 1 })).toThrow(/expected/);
  });

  it('reads the list form of the Hugging Face answer', async () => {
    const [listed] = await callProvider(answerTask, 'huggingface', [{ question: 'When did the bridge open? [[hf:array]]', context: BRIDGE }], {});
    const [plain] = await callProvider(answerTask, 'huggingface', [{ question: 'When did the bridge open?', context: BRIDGE }], {});
    expect(listed).toEqual(plain);
  });
});

describe('answer on local: sentence matching', () => {
  const CONTEXT =
    'Marie Curie was born in Warsaw in 1867. She moved to Paris to study physics and mathematics. ' +
    'In 1903 she shared the Nobel Prize in Physics with Pierre Curie and Henri Becquerel. ' +
    'She later won a second Nobel Prize, in Chemistry, in 1911.';

  it.each([
    ['Where was Marie Curie born?', 'Marie Curie was born in Warsaw in 1867.'],
    ['Why did she go to Paris?', 'She moved to Paris to study physics and mathematics.'],
    ['When did she win the chemistry prize?', 'She later won a second Nobel Prize, in Chemistry, in 1911.'],
    ['Who shared the physics prize with her?', 'In 1903 she shared the Nobel Prize in Physics with Pierre Curie and Henri Becquerel.'],
  ])('%s', async (question, sentence) => {
    const [result] = await callProvider(answerTask, 'local', [{ question, context: CONTEXT }], {});
    expect(result!.answer).toBe(sentence);
    expect(result!.score).toBeGreaterThan(0.3);
  });

  it('scores an unrelated question lower than a matching one', async () => {
    const [unrelated, related] = await callProvider(answerTask, 'local', [
      { question: 'What is the capital of Peru?', context: CONTEXT },
      { question: 'When was Marie Curie born?', context: CONTEXT },
    ], {});
    expect(unrelated!.score).toBeLessThan(related!.score);
  });
});

const answer = (auth: Record<string, string>, body: unknown) => call('/v1/answer', { headers: auth, body });

describe('POST /v1/answer', () => {
  it('answers the envelope with one result (Hugging Face first: Workers AI has no QA model)', async () => {
    const tenant = await createTenant();
    const question = uniqueText('When did the bridge open?');
    const response = await answer(tenant.auth, { question, context: BRIDGE });
    const body = await json(response);
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ task: 'answer', provider: 'huggingface', model: 'deepset/roberta-base-squad2', usage: { items: 1, cached_items: 0 } });
    expect(body.results).toHaveLength(1);
    expect(BRIDGE.slice(body.results[0].start, body.results[0].end)).toBe(body.results[0].answer);
    expect(body.usage.units).toBeGreaterThan(40);
    expect((await answer(tenant.auth, { question, context: BRIDGE })).headers.get('x-cache')).toBe('HIT');
  });

  it('answers on the local tier with offsets into the original context', async () => {
    const tenant = await createTenant({ providerOrder: { answer: ['local'] } });
    const context = `\n\n  ${BRIDGE}  \n`;
    const body = await json(await answer(tenant.auth, { question: 'Who was the chief engineer?', context }));
    expect(body).toMatchObject({ provider: 'local', model: 'minnow/sentence-qa-en', usage: { cost_usd: 0 } });
    expect(body.results[0].answer).toBe('Joseph Strauss was its chief engineer.');
    expect(context.slice(body.results[0].start, body.results[0].end)).toBe(body.results[0].answer);
  });

  it.each([
    [{ question: 'q'.repeat(MAX_QUESTION_CHARS + 1), context: BRIDGE }, 'question', 'invalid_field', String(MAX_QUESTION_CHARS)],
    [{ question: 'Why?', context: 'c'.repeat(MAX_CONTEXT_CHARS + 1) }, 'context', 'invalid_field', String(MAX_CONTEXT_CHARS)],
    [{ question: '   ', context: BRIDGE }, 'question', 'invalid_field', 'blank'],
    [{ question: 'Why?' }, 'context', 'missing_field', 'context'],
    [{ question: 'Why?', context: BRIDGE, top_k: 3 }, 'top_k', 'unknown_field', 'top_k'],
  ])('refuses %#, naming %s', async (body, param, code, mentioned) => {
    const tenant = await createTenant();
    const response = await answer(tenant.auth, body);
    const error = (await json(response)).error;
    expect(response.status).toBe(400);
    expect(error).toMatchObject({ param, code });
    expect(error.message).toContain(mentioned);
  });

  it("serves the task from the tenant's own Hugging Face endpoint", async () => {
    const tenant = await createTenant();
    const url = `${hfOrigin()}/endpoints/answer/acme-qa`;
    await configureTask(tenant.id, 'answer', { providers: ['huggingface', 'local'], huggingface_endpoint: { url, token: 'hf_acme_qa_token' } });
    const question = uniqueText('When did the bridge open?');
    const body = await json(await answer(tenant.auth, { question, context: BRIDGE }));
    expect(body).toMatchObject({ provider: 'huggingface', model: `hf-endpoint:${new URL(url).host}/endpoints/answer/acme-qa`, usage: { cost_usd: 0 } });
    expect(BRIDGE.slice(body.results[0].start, body.results[0].end)).toBe(body.results[0].answer);
    expect(await hfCallRecord(question)).toMatchObject({ paths: ['/endpoints/answer/acme-qa'], tokens: ['hf_acme_qa_token'] });
  });

  it('falls back to the local tier when Hugging Face fails', async () => {
    const tenant = await createTenant();
    const body = await json(await answer(tenant.auth, { question: 'When did the bridge open? [[hf:500]]', context: BRIDGE }));
    expect(body).toMatchObject({ provider: 'local', fallback_from: [{ provider: 'huggingface', code: 'upstream_error' }] });
  });

  it('is not served by Hugging Face without a token', async () => {
    const error = await failureOf(callProvider(answerTask, 'huggingface', [ITEMS[0]!], {}, { env: { HF_TOKEN: undefined } }));
    expect(error.code).toBe('provider_not_configured');
  });
});

describe('answer in the OpenAPI document', () => {
  it('documents the route and its limits', async () => {
    const spec = await json(await call('/openapi.json'));
    expect(spec.paths['/v1/answer'].post.description).toContain('context.slice(start, end)');
    const request = JSON.stringify(spec.components.schemas.AnswerRequest);
    expect(request).toContain(`1–${MAX_QUESTION_CHARS} characters`);
    expect(request).toContain(`1–${MAX_CONTEXT_CHARS} characters`);
  });
});
