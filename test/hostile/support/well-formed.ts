import { expect } from 'vitest';

const REQUEST_ID = /^req_[0-9a-f]{32}$/;

/**
 * What every answer must be, whatever was sent: never a 5xx, a server-made request id, the
 * security headers, and — when it is an error — exactly the one error shape carrying that id.
 * Returns the parsed body (errors and JSON successes) for further checks.
 */
export async function expectWellFormed(response: Response, label: string): Promise<unknown> {
  const text = response.status === 204 || response.status === 304 ? '' : await response.text();
  const where = `${label} → ${response.status} ${text.slice(0, 300)}`;
  expect(response.status, where).toBeLessThan(500);
  const id = response.headers.get('x-request-id') ?? '';
  expect(id, where).toMatch(REQUEST_ID);
  expect(response.headers.get('x-content-type-options'), where).toBe('nosniff');
  expect(response.headers.get('strict-transport-security'), where).toContain('max-age=');
  expect(response.headers.get('x-frame-options'), where).toBeTruthy();
  // A stream is 200 before it can fail: a failure arrives as an error event, which must not be ours.
  if (/event-stream/.test(response.headers.get('content-type') ?? '')) expect(text, where).not.toContain('internal_error');
  if (response.status < 400) {
    return /json/.test(response.headers.get('content-type') ?? '') && text ? JSON.parse(text) : text;
  }
  expect(response.headers.get('content-type'), where).toMatch(/^application\/json/);
  const body = JSON.parse(text) as { error: Record<string, unknown> };
  expect(Object.keys(body), where).toEqual(['error']);
  const { type, code, message, param, request_id, ...rest } = body.error;
  expect(rest, where).toEqual({});
  expect(typeof type === 'string' && typeof code === 'string' && typeof message === 'string', where).toBe(true);
  expect(code, where).not.toBe('internal_error');
  expect(param === undefined || typeof param === 'string', where).toBe(true);
  // Messages may quote the caller's input, but never a whole oversized value.
  expect((message as string).length, where).toBeLessThanOrEqual(1_000);
  expect(((param as string | undefined) ?? '').length, where).toBeLessThanOrEqual(200);
  expect(request_id, where).toBe(id);
  return body;
}
