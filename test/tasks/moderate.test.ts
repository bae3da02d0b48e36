import { describe, expect, it } from 'vitest';
import { parseLlamaGuard } from '../../src/tasks/moderate/llama-guard';
import { abuseMatches } from '../../src/tasks/moderate/lexicon';
import { findPii, ibanValid, luhnValid } from '../../src/tasks/moderate/pii';
import { fromToxicityScores } from '../../src/tasks/moderate/providers';
import { MAX_MODERATE_CHARS, MAX_MODERATE_TEXTS, moderateResultSchema, type ModerateResult } from '../../src/tasks/moderate/schema';
import { moderateTask } from '../../src/tasks/moderate/task';
import { aiCallsFor, call, configureTask, createTenant, hfCallRecord, hfOrigin, json, uniqueText } from '../support/api';
import { callProvider, describeProviderContract, describeUpstreamFaults } from '../support/provider-contract';

const names = (result: ModerateResult) => result.categories.map((entry) => entry.category);

describeProviderContract(moderateTask, {
  // Abusive on every provider's terms: a threat to kill (Llama Guard S1, toxic-bert threat, local threat).
  items: ['Have a lovely weekend, see you on Monday!', 'I will kill you if you come back here', 'Thanks for the quick reply.'],
  options: {},
  result: moderateResultSchema,
  check: (results) => {
    expect(results.map((result) => result.flagged)).toEqual([false, true, false]);
    expect(results[0]!.categories).toEqual([]);
    for (const entry of results[1]!.categories) expect(entry.score).toBeGreaterThanOrEqual(0.5);
  },
});

describeUpstreamFaults(moderateTask, (directive) => `a message ${directive}`, {});

describe('moderate on workers-ai: Llama Guard 3 verdicts', () => {
  it('maps S-codes to readable categories, from the JSON object and the text form alike', async () => {
    const [object] = await callProvider(moderateTask, 'workers-ai', ['I will kill him with a bomb'], {});
    const [text] = await callProvider(moderateTask, 'workers-ai', ['I will kill him with a bomb [[ai:string]]'], {});
    expect(object).toEqual({ flagged: true, categories: [{ category: 'indiscriminate_weapons', score: 1 }, { category: 'violent_crimes', score: 1 }] });
    expect(text).toEqual(object);
  });

  it.each([
    [{ response: 'safe' }, { flagged: false, categories: [] }],
    [{ response: ' unsafe\nS10,S11 ' }, { flagged: true, categories: [{ category: 'hate', score: 1 }, { category: 'suicide_self_harm', score: 1 }] }],
    [{ response: { safe: false, categories: [] } }, { flagged: true, categories: [{ category: 'unspecified', score: 1 }] }],
    [{ response: { safe: false, categories: ['S15'] } }, { flagged: true, categories: [{ category: 's15', score: 1 }] }],
    [{ response: { safe: true } }, { flagged: false, categories: [] }],
  ])('reads %j', (raw, expected) => {
    expect(parseLlamaGuard(raw)).toEqual(expected);
  });

  it('refuses an answer that is no verdict', () => {
    expect(() => parseLlamaGuard({ response: 'I cannot help with that.' })).toThrow(/neither safe nor unsafe/);
    expect(() => parseLlamaGuard({ result: 'safe' })).toThrow(/expected/);
  });
});

describe('moderate on huggingface: toxic-bert scores', () => {
  it('flags the labels at or above the threshold, nested or flat', async () => {
    const [nested] = await callProvider(moderateTask, 'huggingface', ['you stupid idiot, I will destroy you'], {});
    const [flat] = await callProvider(moderateTask, 'huggingface', ['you stupid idiot, I will destroy you [[hf:flat]]'], {});
    expect(names(nested!)).toEqual(['toxic', 'insult', 'threat', 'severe_toxic']);
    expect(flat).toEqual(nested);
  });

  it("ignores a tenant model's safe labels and normalises label names", () => {
    expect(fromToxicityScores([{ label: 'non-toxic', score: 0.9 }, { label: 'Toxic', score: 0.1 }])).toEqual({ flagged: false, categories: [] });
    expect(fromToxicityScores([{ label: 'NEUTRAL', score: 0.2 }, { label: 'Hate Speech', score: 0.8 }])).toEqual({ flagged: true, categories: [{ category: 'hate_speech', score: 0.8 }] });
    expect(() => fromToxicityScores([{ label: 'toxic' }])).toThrow(/expected/);
  });
});

describe('moderate on local: lexicon and personal data', () => {
  it.each([
    ['Call me at +1 (415) 555-0132 tomorrow', ['pii.phone']],
    ['My card is 4111 1111 1111 1111, exp 04/27', ['pii.credit_card']],
    ['Write to jo.doe@example.com', ['pii.email']],
    ['SSN 123-45-6789 on file', ['pii.ssn']],
    ['Pay to DE89 3704 0044 0532 0130 00 please', ['pii.iban']],
    ['What the f*ck is this sh1t', ['profanity']],
    ['I know where you live. Watch your back.', ['threat']],
    ['You are a pathetic loser, nobody likes you', ['harassment']],
    ['You idiot, email me at a@b.co', ['pii.email', 'harassment']],
  ])('%s → %j', async (text, expected) => {
    const [result] = await callProvider(moderateTask, 'local', [text], {});
    expect(result!.flagged).toBe(true);
    expect(names(result!)).toEqual(expected);
  });

  it.each([
    'Order 1234 5678 9012 3456 has shipped',
    'Meeting on 2024-01-15 at 10:30 in room 4',
    'I will shoot you an email tomorrow',
    'Scunthorpe is a town; the idiom is classic',
    'The new kit is idiot-proof and the flame retardant works',
    'You are dead right about the budget',
    'This update is killer, great job!',
  ])('does not flag: %s', async (text) => {
    const [result] = await callProvider(moderateTask, 'local', [text], {});
    expect(result).toEqual({ flagged: false, categories: [], confidence: expect.any(Number) });
  });

  it('checks card numbers with Luhn and IBANs with mod 97', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true);
    expect(ibanValid('GB82 WEST 1234 5698 7654 33')).toBe(false);
    expect(findPii('card 4111 1111 1111 1112')).toEqual([]);
  });

  it('counts repeated abuse for a higher score', () => {
    expect(abuseMatches('shit shit shit')).toEqual({ profanity: 3 });
  });
});

const moderate = (auth: Record<string, string>, body: unknown) => call('/v1/moderate', { headers: auth, body });

describe('POST /v1/moderate', () => {
  it('answers the envelope, one result per text, on Workers AI by default', async () => {
    const tenant = await createTenant();
    const texts = [uniqueText('Have a nice day'), uniqueText('I will kill you')];
    const response = await moderate(tenant.auth, { text: texts });
    const body = await json(response);
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ task: 'moderate', provider: 'workers-ai', model: '@cf/meta/llama-guard-3-8b', usage: { items: 2, cached_items: 0 } });
    expect(body.results).toEqual([{ flagged: false, categories: [] }, { flagged: true, categories: [{ category: 'violent_crimes', score: 1 }] }]);
    expect(body.usage.cost_usd).toBeGreaterThan(0);
  });

  it('flags personal data and abuse on the local tier, each under its category', async () => {
    const tenant = await createTenant({ providerOrder: { moderate: ['local'] } });
    const body = await json(await moderate(tenant.auth, { text: ['Reach me at jo@example.com or 415-555-0132', 'Shut up, you moron', 'Lovely weather today'] }));
    expect(body).toMatchObject({ provider: 'local', model: 'minnow/lexicon-pii-en', usage: { cost_usd: 0 } });
    expect(body.results.map(names)).toEqual([['pii.email', 'pii.phone'], ['harassment'], []]);
    expect(body.results.map((result: ModerateResult) => result.flagged)).toEqual([true, true, false]);
  });

  it('sends only the new texts of a batch upstream (x-cache PARTIAL)', async () => {
    const tenant = await createTenant();
    const [seen, fresh] = [uniqueText('hello there'), uniqueText('good morning')];
    await moderate(tenant.auth, { text: seen });
    const response = await moderate(tenant.auth, { text: [seen, fresh] });
    expect(response.headers.get('x-cache')).toBe('PARTIAL');
    expect((await json(response)).usage).toMatchObject({ items: 2, cached_items: 1 });
    expect([await aiCallsFor(seen), await aiCallsFor(fresh)]).toEqual([1, 1]);
  });

  it.each([
    ['a text over the length limit', { text: 'x'.repeat(MAX_MODERATE_CHARS + 1) }, 'text', String(MAX_MODERATE_CHARS)],
    ['a batch over the limit', { text: Array.from({ length: MAX_MODERATE_TEXTS + 1 }, (_, index) => `text ${index}`) }, 'text', `at most ${MAX_MODERATE_TEXTS} texts`],
    ['an empty text in a batch', { text: ['fine', ''] }, 'text.1', 'empty'],
    ['an unknown option', { text: 'fine', threshold: 0.2 }, 'threshold', 'threshold'],
  ])('refuses %s, naming the field and the limit', async (_, body, param, mentioned) => {
    const tenant = await createTenant();
    const response = await moderate(tenant.auth, body);
    const error = (await json(response)).error;
    expect(response.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toContain(mentioned);
  });

  it("runs on the tenant's own Hugging Face endpoint", async () => {
    const tenant = await createTenant();
    const url = `${hfOrigin()}/endpoints/moderate/acme-toxicity`;
    await configureTask(tenant.id, 'moderate', { providers: ['huggingface'], huggingface_endpoint: { url, token: 'hf_acme_mod' } });
    const text = uniqueText('you idiot');
    const body = await json(await moderate(tenant.auth, { text }));
    expect(body).toMatchObject({ provider: 'huggingface', results: [{ flagged: true }] });
    expect(await hfCallRecord(text)).toMatchObject({ paths: ['/endpoints/moderate/acme-toxicity'], tokens: ['hf_acme_mod'] });
  });
});

describe('moderate in the OpenAPI document', () => {
  it('documents the route, the categories and the limits', async () => {
    const spec = await json(await call('/openapi.json'));
    expect(spec.paths['/v1/moderate'].post.description).toContain('pii.email');
    expect(JSON.stringify(spec.components.schemas.ModerateRequest)).toContain(`up to ${MAX_MODERATE_TEXTS} texts (each 1–${MAX_MODERATE_CHARS} characters)`);
    expect(JSON.stringify(spec.components.schemas.ModerationCategory)).toContain('suicide_self_harm');
  });
});
