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

  it("generates its own request id and echoes the caller's as x-client-request-id", async () => {
    const first = await call('/healthz', { headers: { 'x-request-id': 'trace-abc-123' } });
    const second = await call('/healthz', { headers: { 'x-client-request-id': 'trace-abc-123' } });
    for (const response of [first, second]) {
      expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
      expect(response.headers.get('x-client-request-id')).toBe('trace-abc-123');
    }
    expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'));
    const injected = await call('/healthz', { headers: { 'x-client-request-id': 'bad id<script>' } });
    expect(injected.headers.get('x-client-request-id')).toBeNull();
  });
});
