import { describe, expect, it } from 'vitest';
import { entitiesResponseSchema } from '../src/tasks/entities/schema';
import { similarityResponseSchema } from '../src/tasks/similarity/schema';
import { sentimentResponseSchema } from '../src/tasks/sentiment/schema';
import { call, createTenant, json, uniqueText } from './support/api';
import { MAX_ENTITIES_TEXT_CHARS } from '../src/tasks/entities/schema';
import { MAX_MODERATE_CHARS } from '../src/tasks/moderate/schema';
import { MAX_CONTEXT_CHARS } from '../src/tasks/answer/schema';
import { LOCAL_ENTITY_REQUEST_UNITS, LOCAL_ENTITY_UNITS } from '../src/tasks/entities/local-recognizers';
import { entitiesTask } from '../src/tasks/entities/task';
import { winkWindow } from '../src/providers/local/bounds';

/** Ordinary English as bench/local-cpu.mjs measures it, and the shape wink reads slowest per piece. */
const ORDINARY =
  'The delivery arrived two days late on March 3rd, but the support team was friendly and refunded the $12.50 shipping fee. ' +
  'I would order again, although the packaging could be better! Call me at 10:30 am or mail help@example.com. ';
const fill = (unit: string, length: number) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
/** A distinct text of exactly `length` characters (distinct so no answer comes from another test's cache). */
const sized = (unit: string, length: number) => `${uniqueText('')} ${fill(unit, length)}`.slice(0, length);

describe('the local tier says what it cannot do (issue 14)', () => {
  it('entities: asked for people offline, it answers with a warning, not a silent empty list', async () => {
    const tenant = await createTenant({ providerOrder: { entities: ['local'] } });
    const request = { text: `Maria Gonzalez met Tim Cook in Paris ${crypto.randomUUID()}`, types: ['person'] };
    const response = await call('/v1/entities', { headers: tenant.auth, body: request });
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body).toMatchObject({ provider: 'local', results: [{ entities: [] }] });
    expect(body.warnings).toEqual([expect.objectContaining({ code: 'local_tier_finds_no_names', message: expect.stringContaining('person') })]);
    expect(entitiesResponseSchema.safeParse(body).success).toBe(true);
    // Cached answers carry it too: the warning is about who answered, not about the call.
    const again = await call('/v1/entities', { headers: tenant.auth, body: request });
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect((await json(again)).warnings?.[0]?.code).toBe('local_tier_finds_no_names');
  });

  it('entities: no warning when only pattern types are asked for', async () => {
    const tenant = await createTenant({ providerOrder: { entities: ['local'] } });
    const body = await json(await call('/v1/entities', { headers: tenant.auth, body: { text: `mail me at jo@example.com ${crypto.randomUUID()}`, types: ['email'] } }));
    expect(body.results[0].entities).toHaveLength(1);
    expect(body.warnings).toBeUndefined();
  });

  it('similarity answered locally warns that it is lexical', async () => {
    const tenant = await createTenant({ providerOrder: { similarity: ['local'] } });
    const body = await json(await call('/v1/similarity', { headers: tenant.auth, body: { source: uniqueText('My card was declined.'), targets: ['The payment did not go through.', 'My card was accepted.'] } }));
    expect(body.provider).toBe('local');
    expect(body.warnings?.[0]?.code).toBe('local_similarity_is_lexical');
    expect(similarityResponseSchema.safeParse(body).success).toBe(true);
  });

  it('the envelope schema accepts warnings and their absence', () => {
    const envelope = { id: 'req_1', task: 'sentiment', model: 'm', provider: 'local', results: [{ label: 'neutral', score: 0.5 }], cached: false, usage: { items: 1, cached_items: 0, units: 1, cost_usd: 0 } };
    expect(sentimentResponseSchema.safeParse(envelope).success).toBe(true);
    expect(sentimentResponseSchema.safeParse({ ...envelope, warnings: [{ code: 'c', message: 'm' }] }).success).toBe(true);
    expect(sentimentResponseSchema.safeParse({ ...envelope, warnings: ['not an object'] }).success).toBe(false);
  });

  describe('what the local tier did not read is said, not dropped (issue 16: the CPU bound per request)', () => {
    it('entities: a text of slow tokens is read in part and named; the ordinary text beside it is read whole', async () => {
      const tenant = await createTenant({ providerOrder: { entities: ['local'] } });
      const hostile = sized('$1 ', MAX_ENTITIES_TEXT_CHARS);
      const ordinary = sized(ORDINARY, MAX_ENTITIES_TEXT_CHARS);
      const request = { text: [ordinary, hostile], types: ['money', 'email'] };
      const response = await call('/v1/entities', { headers: tenant.auth, body: request });
      expect(response.status).toBe(200);
      const body = await json(response);
      const read = winkWindow(hostile, LOCAL_ENTITY_UNITS).length;
      expect(read).toBeLessThan(MAX_ENTITIES_TEXT_CHARS / 4);
      expect(body.warnings).toEqual([
        { code: 'local_tier_read_part', message: expect.stringContaining(`text[1] (${read} of 2,000 characters)`) },
      ]);
      expect(body.warnings[0].message).not.toContain('text[0]');
      // The money pattern still reads the whole hostile text: its last "$1" is found.
      const lastDollar = hostile.lastIndexOf('$1');
      expect(body.results[1].entities.at(-1)).toMatchObject({ type: 'money', start: lastDollar });
      // And the ordinary text's entities are all there, to its last e-mail address.
      expect(body.results[0].entities.filter((entity: { type: string }) => entity.type === 'email').at(-1).end).toBeGreaterThan(MAX_ENTITIES_TEXT_CHARS - ORDINARY.length);
      expect(entitiesResponseSchema.safeParse(body).success).toBe(true);
      // A cached answer carries the same warning: it is computed from the texts, not from the call.
      const again = await call('/v1/entities', { headers: tenant.auth, body: request });
      expect(again.headers.get('x-cache')).toBe('HIT');
      expect((await json(again)).warnings).toEqual(body.warnings);
    });

    it('the largest ordinary texts of entities, moderation and answer are read whole, without a warning', async () => {
      const tenant = await createTenant({ providerOrder: { entities: ['local'], moderate: ['local'], answer: ['local'] } });
      const entities = await json(await call('/v1/entities', { headers: tenant.auth, body: { text: [sized(ORDINARY, MAX_ENTITIES_TEXT_CHARS)], types: ['email'] } }));
      expect(entities.provider).toBe('local');
      expect(entities.warnings).toBeUndefined();
      const moderate = await json(await call('/v1/moderate', { headers: tenant.auth, body: { text: sized(ORDINARY, MAX_MODERATE_CHARS) } }));
      expect(moderate.provider).toBe('local');
      expect(moderate.warnings).toBeUndefined();
      const context = sized(ORDINARY, MAX_CONTEXT_CHARS);
      const answer = await json(await call('/v1/answer', { headers: tenant.auth, body: { question: 'When was the fee refunded?', context } }));
      expect(answer.provider).toBe('local');
      expect(answer.warnings).toBeUndefined();
    });

    it('moderation and answer name the text they read in part, and how much of it', async () => {
      const tenant = await createTenant({ providerOrder: { moderate: ['local'], answer: ['local'] } });
      const moderate = await json(await call('/v1/moderate', { headers: tenant.auth, body: { text: sized('1a ', MAX_MODERATE_CHARS) } }));
      expect(moderate.warnings?.[0]).toMatchObject({ code: 'local_tier_read_part', message: expect.stringMatching(/start of text \([\d,]+ of 8,000 characters\).*E-mail addresses/) });
      const answer = await json(await call('/v1/answer', { headers: tenant.auth, body: { question: 'When?', context: sized('.1 ', MAX_CONTEXT_CHARS) } }));
      expect(answer.warnings?.[0]).toMatchObject({ code: 'local_tier_read_part', message: expect.stringMatching(/start of context \([\d,]+ of 10,000 characters\)/) });
    });

    it('a long sentiment text says which part its label is of; a short one says nothing', async () => {
      const tenant = await createTenant({ providerOrder: { sentiment: ['local'] } });
      const long = sized(ORDINARY, 20_000);
      const body = await json(await call('/v1/sentiment', { headers: tenant.auth, body: { text: [uniqueText('Lovely, thank you.'), long] } }));
      expect(body.warnings).toEqual([{ code: 'local_tier_read_part', message: expect.stringMatching(/start of text\[1\] \([\d,]+ of 20,000 characters\).*512-token/) }]);
      expect(sentimentResponseSchema.safeParse(body).success).toBe(true);
      const short = await json(await call('/v1/sentiment', { headers: tenant.auth, body: { text: uniqueText('Lovely, thank you.') } }));
      expect(short.warnings).toBeUndefined();
    });

    it('a full batch shares the request budget: each text read in part is named, and a text alone is read whole again', async () => {
      const tenant = await createTenant({ providerOrder: { entities: ['local'] } });
      // 100 ordinary texts of 2,000 characters: each window (~560 units) would be read whole alone,
      // but together they exceed the entities budget, so each is read for an equal share.
      const texts = Array.from({ length: 100 }, () => sized(ORDINARY, MAX_ENTITIES_TEXT_CHARS));
      const share = entitiesTask.options({ text: texts, types: ['date', 'email'] }).local_read_units!;
      expect(share).toBe(Math.floor(LOCAL_ENTITY_REQUEST_UNITS / 100));
      const request = { text: texts, types: ['date', 'email'] };
      const response = await call('/v1/entities', { headers: tenant.auth, body: request });
      expect(response.status).toBe(200);
      const body = await json(response);
      const read = winkWindow(texts[0]!, share).length;
      expect(read).toBeLessThan(MAX_ENTITIES_TEXT_CHARS);
      expect(body.warnings).toEqual([
        {
          code: 'local_tier_read_part',
          message: expect.stringContaining(
            `start of text[0] (${read.toLocaleString('en')} of 2,000 characters), text[1] (${winkWindow(texts[1]!, share).length.toLocaleString('en')} of 2,000 characters)`,
          ),
        },
      ]);
      // Ten named and the rest counted, with the budget's share stated.
      expect(body.warnings[0].message).toContain("and 90 more: its work per text is bounded, and per request: this request's 100 texts shared its budget");
      expect(body.warnings[0].message).toContain(`at most ${share} work units each`);
      // The patterns still read every text whole: each text's e-mail addresses, to its last one.
      for (const [index, result] of body.results.entries()) {
        const emails = result.entities.filter((entity: { type: string }) => entity.type === 'email');
        expect(emails.at(-1).end, `text[${index}]`).toBeGreaterThan(MAX_ENTITIES_TEXT_CHARS - ORDINARY.length);
      }
      // Dates only wink finds stop at the part read (the share is what it read).
      const dates = body.results[0].entities.filter((entity: { type: string }) => entity.type === 'date');
      expect(dates.length).toBeGreaterThan(0);
      expect(dates.every((entity: { end: number }) => entity.end <= read)).toBe(true);
      // The share is part of the cache key: the same text alone is not served the answer read in
      // part, but read whole (a miss), with every date and no warning.
      const alone = await call('/v1/entities', { headers: tenant.auth, body: { text: texts[0], types: ['date', 'email'] } });
      expect(alone.headers.get('x-cache')).toBe('MISS');
      const aloneBody = await json(alone);
      expect(aloneBody.warnings).toBeUndefined();
      expect(aloneBody.results[0].entities.filter((entity: { type: string }) => entity.type === 'date').length).toBeGreaterThan(dates.length);
      // And the full batch again is a hit, with the same warning.
      const again = await call('/v1/entities', { headers: tenant.auth, body: request });
      expect(again.headers.get('x-cache')).toBe('HIT');
      expect((await json(again)).warnings).toEqual(body.warnings);
    });

    it('an ordinary small batch is answered as before: no share, no warning', async () => {
      const tenant = await createTenant({ providerOrder: { entities: ['local'], sentiment: ['local'], moderate: ['local'] } });
      const texts = Array.from({ length: 20 }, () => sized(ORDINARY, MAX_ENTITIES_TEXT_CHARS));
      for (const task of ['entities', 'sentiment', 'moderate']) {
        const body = await json(await call(`/v1/${task}`, { headers: tenant.auth, body: { text: texts } }));
        expect(body.provider, task).toBe('local');
        expect(body.warnings?.filter((warning: { code: string }) => warning.code === 'local_tier_read_part') ?? [], task).toEqual([]);
      }
    });
  });
});
