import { describe, expect, it } from 'vitest';
import { entitiesResponseSchema } from '../src/tasks/entities/schema';
import { similarityResponseSchema } from '../src/tasks/similarity/schema';
import { sentimentResponseSchema } from '../src/tasks/sentiment/schema';
import { call, createTenant, json, uniqueText } from './support/api';

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
});
