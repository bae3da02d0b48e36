import { describe, expect, it } from 'vitest';
import { call, createTenant, json, uniqueText } from './support/api';

describe('sentiment end to end', () => {
  it('answers a single text in the envelope', async () => {
    const tenant = await createTenant();
    const response = await call('/v1/sentiment', { headers: tenant.auth, body: { text: uniqueText('I love this, it is great') } });
    const body = await json(response);
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.results).toHaveLength(1);
    expect(body.results[0].label).toBe('positive');
    expect(body.provider, JSON.stringify(body)).toBe('workers-ai');
    expect(response.headers.get('x-cache')).toBe('MISS');
  });
});
