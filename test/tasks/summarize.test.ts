import { describe, expect, it } from 'vitest';
import { countWords } from '../../src/tasks/answer/sentences';
import { systemPrompt } from '../../src/tasks/summarize/providers';
import { DEFAULT_SUMMARY_WORDS, MAX_SUMMARIZE_CHARS, MAX_SUMMARIZE_TEXTS, MAX_SUMMARY_WORDS, MIN_SUMMARY_WORDS, summarizeResultSchema } from '../../src/tasks/summarize/schema';
import { summarizeTask, summarizeUnits } from '../../src/tasks/summarize/task';
import { cleanGeneratedSummary, limitWords } from '../../src/tasks/summarize/word-limit';
import { aiCallsFor, call, configureTask, createTenant, hfCallRecord, hfOrigin, json, uniqueText } from '../support/api';
import { callProvider, describeProviderContract, describeUpstreamFaults, failureOf } from '../support/provider-contract';

const BUDGET =
  'The city council approved a new transport budget on Tuesday after a six-hour debate. ' +
  'The plan raises spending on buses and trams by 12 percent and adds three new night lines. ' +
  'Opponents said the increase would force higher parking fees in the centre. ' +
  'The mayor promised that ticket prices would stay the same until at least 2027. ' +
  'Work on the first night line is expected to start in the spring.';
const ROVER =
  'The Mars rover Perseverance collected its twentieth rock sample this week. ' +
  'Scientists believe the sample comes from an ancient river delta where microbial life may once have existed. ' +
  'The samples will be returned to Earth by a later mission. ' +
  'Engineers also reported that the rover helicopter completed its seventieth flight.';
const SHORT = 'The meeting moved to Friday.';

describeProviderContract(summarizeTask, {
  items: [BUDGET, ROVER, SHORT],
  options: { max_words: 30 },
  result: summarizeResultSchema,
  check: (results) => {
    for (const { summary } of results) expect(countWords(summary)).toBeLessThanOrEqual(30);
    expect(results[0]!.summary).toMatch(/budget|spending|council/i);
    expect(results[1]!.summary).toMatch(/Perseverance|sample|rover/i);
    expect(results[2]!.summary).toBe(SHORT);
  },
});

describeUpstreamFaults(summarizeTask, (directive) => `${BUDGET} ${directive}`, { max_words: 30 });

describe('summarize: the word limit', () => {
  it('keeps whole sentences that fit, else cuts at a word and marks it', () => {
    expect(limitWords('One two three. Four five six seven. Eight nine.', 8)).toBe('One two three. Four five six seven.');
    expect(limitWords('One two three four five six seven eight nine ten.', 4)).toBe('One two three four…');
    expect(limitWords('  Short   and\nfine. ', 10)).toBe('Short and fine.');
  });

  it("strips an instruct model's preamble, labels and quotes", () => {
    expect(cleanGeneratedSummary('Here is a summary of the text in 30 words:\n\nThe council approved it.')).toBe('The council approved it.');
    expect(cleanGeneratedSummary("Sure! Here's a concise summary:\nThe council approved it.")).toBe('The council approved it.');
    expect(cleanGeneratedSummary('**Summary:**\nThe council approved it.')).toBe('The council approved it.');
    expect(cleanGeneratedSummary('Summary: "The council approved it."')).toBe('The council approved it.');
    expect(cleanGeneratedSummary('Here in Oslo, the council approved it.')).toBe('Here in Oslo, the council approved it.');
  });

  it.each(summarizeTask.providers.map((mapping) => [mapping.provider] as const))('%s answers within max_words', async (provider) => {
    for (const maxWords of [MIN_SUMMARY_WORDS, 25]) {
      const [result] = await callProvider(summarizeTask, provider, [`${BUDGET} ${ROVER}`], { max_words: maxWords });
      expect(countWords(result!.summary)).toBeLessThanOrEqual(maxWords);
      expect(countWords(result!.summary)).toBeGreaterThan(0);
    }
  });
});

describe('summarize on workers-ai: Llama 3.2 1B Instruct', () => {
  it('asks for the word limit in the system prompt and strips a preamble', async () => {
    expect(systemPrompt(40)).toContain('at most 40 words');
    const [plain] = await callProvider(summarizeTask, 'workers-ai', [BUDGET], { max_words: 30 });
    const [chatty] = await callProvider(summarizeTask, 'workers-ai', [`${BUDGET} [[ai:preamble]]`], { max_words: 30 });
    expect(chatty).toEqual(plain);
    expect(plain!.summary.startsWith('The city council approved')).toBe(true);
  });

  it('trims a model that ignores the limit, and refuses an empty answer', async () => {
    const [long] = await callProvider(summarizeTask, 'workers-ai', [`${BUDGET} [[ai:long]]`], { max_words: 20 });
    expect(countWords(long!.summary)).toBeLessThanOrEqual(20);
    const error = await failureOf(callProvider(summarizeTask, 'workers-ai', [`${BUDGET} [[ai:empty]]`], { max_words: 20 }));
    expect(error.code).toBe('upstream_bad_response');
  });
});

describe('summarize on huggingface: distilbart-cnn', () => {
  it('reads the bare object as well as the list', async () => {
    const [listed] = await callProvider(summarizeTask, 'huggingface', [BUDGET], { max_words: 30 });
    const [bare] = await callProvider(summarizeTask, 'huggingface', [`${BUDGET} [[hf:object]]`], { max_words: 30 });
    expect(bare).toEqual(listed);
  });
});

describe('summarize on local: extractive', () => {
  it('keeps the central sentences in their original order', async () => {
    const [result] = await callProvider(summarizeTask, 'local', [BUDGET], { max_words: 35 });
    const kept = result!.summary;
    expect(kept.startsWith('The city council approved a new transport budget')).toBe(true);
    // Every sentence is the author's own, in the original order.
    const sentences = kept.match(/[^.]+\./g)!.map((s) => s.trim());
    const positions = sentences.map((s) => BUDGET.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('never ends on a sentence the read window cut (issue 14: "…late again. Sentence number 106 talks")', async () => {
    const topics = ['the bus', 'the train', 'the ferry', 'the tram', 'the night line'];
    // ~17 KB, like the black-box pass: far past the ~6,300-character read window (LOCAL_SUMMARY_UNITS).
    const long = Array.from({ length: 280 }, (_, index) => `Sentence number ${index + 1} talks about how ${topics[index % topics.length]} was late again.`).join(' ');
    expect(long.length).toBeGreaterThan(17_000);
    for (const maxWords of [12, 30, 60]) {
      const [{ summary }] = (await callProvider(summarizeTask, 'local', [long], { max_words: maxWords })) as [{ summary: string }];
      expect(countWords(summary)).toBeLessThanOrEqual(maxWords);
      // Whole sentences of the text, each ending where the author ended it.
      const sentences = summary.match(/[^.]+\./g)!.map((sentence) => sentence.trim());
      expect(sentences.join(' ')).toBe(summary);
      for (const sentence of sentences) expect(long).toContain(sentence);
    }
  });
});

describe('summarize units (input-token equivalents)', () => {
  it('adds the expected output tokens at the output/input price ratio', () => {
    const units = summarizeUnits(BUDGET, { max_words: 60 });
    expect(units).toBeGreaterThan(Math.ceil(new TextEncoder().encode(BUDGET).length / 4) + 2 + 60 * 7);
    expect(summarizeUnits(SHORT, { max_words: 500 })).toBeLessThan(200);
  });
});

const summarize = (auth: Record<string, string>, body: unknown) => call('/v1/summarize', { headers: auth, body });

describe('POST /v1/summarize', () => {
  it('answers the envelope on Workers AI, priced in input-token equivalents', async () => {
    const tenant = await createTenant();
    const text = `${BUDGET} ${crypto.randomUUID()}`;
    const response = await summarize(tenant.auth, { text, max_words: 40 });
    const body = await json(response);
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ task: 'summarize', provider: 'workers-ai', model: '@cf/meta/llama-3.2-1b-instruct', usage: { items: 1, cached_items: 0 } });
    expect(countWords(body.results[0].summary)).toBeLessThanOrEqual(40);
    expect(body.usage.units).toBe(summarizeUnits(text, { max_words: 40 }));
    expect(body.usage.cost_usd).toBeCloseTo((body.usage.units * 0.027) / 1e6, 12);
  });

  it('caches per text and max_words; the default equals an explicit 60', async () => {
    const tenant = await createTenant();
    const [seen, fresh] = [uniqueText(BUDGET), uniqueText(ROVER)];
    await summarize(tenant.auth, { text: seen });
    const partial = await summarize(tenant.auth, { text: [seen, fresh], max_words: DEFAULT_SUMMARY_WORDS });
    expect(partial.headers.get('x-cache')).toBe('PARTIAL');
    expect([await aiCallsFor(seen), await aiCallsFor(fresh)]).toEqual([1, 1]);
    expect((await summarize(tenant.auth, { text: seen, max_words: 20 })).headers.get('x-cache')).toBe('MISS');
  });

  it('runs on the local tier at no cost', async () => {
    const tenant = await createTenant({ providerOrder: { summarize: ['local'] } });
    const body = await json(await summarize(tenant.auth, { text: [BUDGET, ROVER], max_words: 25 }));
    expect(body).toMatchObject({ provider: 'local', model: 'minnow/extractive-summary-en', usage: { cost_usd: 0 } });
    for (const { summary } of body.results) expect(countWords(summary)).toBeLessThanOrEqual(25);
  });

  it.each([
    ['max_words below the minimum', { text: BUDGET, max_words: MIN_SUMMARY_WORDS - 1 }, 'max_words', String(MIN_SUMMARY_WORDS)],
    ['max_words above the maximum', { text: BUDGET, max_words: MAX_SUMMARY_WORDS + 1 }, 'max_words', String(MAX_SUMMARY_WORDS)],
    ['a fractional max_words', { text: BUDGET, max_words: 12.5 }, 'max_words', 'whole'],
    ['a text over the length limit', { text: 'word '.repeat(MAX_SUMMARIZE_CHARS / 5 + 1) }, 'text', String(MAX_SUMMARIZE_CHARS)],
    ['a blank text', { text: '   ' }, 'text', 'blank'],
    ['a batch over the limit', { text: Array.from({ length: MAX_SUMMARIZE_TEXTS + 1 }, () => BUDGET) }, 'text', `at most ${MAX_SUMMARIZE_TEXTS} texts`],
    ['a missing text', { max_words: 20 }, 'text', 'text'],
  ])('refuses %s, naming the field and the limit', async (_, body, param, mentioned) => {
    const tenant = await createTenant();
    const response = await summarize(tenant.auth, body);
    const error = (await json(response)).error;
    expect(response.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toContain(mentioned);
  });

  it("runs on the tenant's own Hugging Face endpoint", async () => {
    const tenant = await createTenant();
    const url = `${hfOrigin()}/endpoints/summarize/acme-news`;
    await configureTask(tenant.id, 'summarize', { providers: ['huggingface'], huggingface_endpoint: { url, token: 'hf_acme_sum' } });
    const text = uniqueText(BUDGET);
    const body = await json(await summarize(tenant.auth, { text, max_words: 30 }));
    expect(body).toMatchObject({ provider: 'huggingface', model: `hf-endpoint:${new URL(url).host}/endpoints/summarize/acme-news` });
    expect(await hfCallRecord(text)).toMatchObject({ paths: ['/endpoints/summarize/acme-news'], tokens: ['hf_acme_sum'] });
  });
});

describe('summarize in the OpenAPI document', () => {
  it('documents the route and its limits', async () => {
    const spec = await json(await call('/openapi.json'));
    expect(spec.paths['/v1/summarize'].post.description).toContain('input-token equivalents');
    const request = JSON.stringify(spec.components.schemas.SummarizeRequest);
    expect(request).toContain(`${MIN_SUMMARY_WORDS}–${MAX_SUMMARY_WORDS}, default ${DEFAULT_SUMMARY_WORDS}`);
    expect(request).toContain(`up to ${MAX_SUMMARIZE_TEXTS} texts (each 1–${MAX_SUMMARIZE_CHARS} characters)`);
  });
});
