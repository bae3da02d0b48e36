import { describe, expect, it } from 'vitest';
import { call } from './support/api';

describe('every response', () => {
  it('carries a request id and security headers, on success and on error', async () => {
    for (const response of [await call('/healthz'), await call('/v1/missing'), await call('/v1/sentiment', { body: { text: 'x' } })]) {
      expect(response.headers.get('x-request-id')).toMatch(/\S+/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('strict-transport-security')).toContain('max-age=');
      expect(response.headers.get('content-type')).toMatch(/json/);
    }
  });

  it('keeps a caller-supplied request id', async () => {
    const response = await call('/healthz', { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(response.headers.get('x-request-id')).toBe('trace-abc-123');
  });
});
