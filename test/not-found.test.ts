// A mistyped path gets a 404 in the one error shape whose message names the route it most likely
// meant (src/http/closest-route.ts), and no guess when nothing is close.
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { closestRoute } from '../src/http/closest-route';
import { call, json } from './support/api';

async function notFound(path: string, init: Parameters<typeof call>[1] = {}): Promise<string> {
  const response = await call(path, init);
  expect(response.status, path).toBe(404);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const body = await json(response);
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toMatchObject({ type: 'not_found_error', code: 'not_found', request_id: response.headers.get('x-request-id') });
  return body.error.message;
}

describe('404 for an unknown path', () => {
  it('names the closest route: a typo, a missing /v1, a different case, a trailing slash', async () => {
    expect(await notFound('/v1/sentiments', { body: { text: 'hi' } })).toBe('No route POST /v1/sentiments; did you mean POST /v1/sentiment?');
    expect(await notFound('/v1/sentiments')).toBe('No route GET /v1/sentiments; did you mean POST /v1/sentiment?');
    expect(await notFound('/sentiment', { body: { text: 'hi' } })).toContain('did you mean POST /v1/sentiment?');
    expect(await notFound('/V1/Sentiment', { body: { text: 'hi' } })).toContain('did you mean POST /v1/sentiment?');
    expect(await notFound('/v1/chat/completion', { body: {} })).toContain('did you mean POST /v1/chat/completions?');
    expect(await notFound('/v1/embedings', { body: {} })).toContain('did you mean POST /v1/embeddings?');
    expect(await notFound('/v1/kb/kb_123/documnets')).toContain('did you mean GET /v1/kb/:id/documents?');
    expect(await notFound('/dashbord')).toContain('did you mean GET /dashboard?');
    expect(await notFound('/healtz')).toContain('did you mean GET /healthz?');
    // Every method alike: no 405 whose Allow names a method the path would refuse too.
    expect(await notFound('/v1/sentiment/', { body: { text: 'hi' } })).toBe('No route POST /v1/sentiment/; did you mean POST /v1/sentiment?');
    expect(await notFound('/v1/sentiment/')).toBe('No route GET /v1/sentiment/; did you mean POST /v1/sentiment?');
    expect(await notFound('/v1/kb/kb_123/documents/')).toContain('did you mean GET /v1/kb/:id/documents?');
  });

  it('guesses nothing when no route is close, and points at the route list', async () => {
    expect(await notFound('/v1/nothing-here')).toBe('No route GET /v1/nothing-here; every route is listed at /docs and /openapi.json');
    expect(await notFound('/wp-login.php')).not.toContain('did you mean');
    const long = await notFound(`/v1/${'a'.repeat(5_000)}`);
    expect(long).not.toContain('did you mean');
    expect(long.length).toBeLessThan(300);
  });

  it('prefers a route with the request\'s method among equally close ones', () => {
    const routes = [
      { method: 'DELETE', path: '/v1/bots/:id' },
      { method: 'GET', path: '/v1/bots/:id' },
    ];
    expect(closestRoute(routes, '/v1/bot/b1', 'GET')).toEqual({ method: 'GET', path: '/v1/bots/:id' });
    expect(closestRoute(routes, '/v1/bot/b1', 'DELETE')).toEqual({ method: 'DELETE', path: '/v1/bots/:id' });
    // Every route of the app, and one deep hostile path: bounded work, no suggestion.
    expect(closestRoute(createApp().routes, `/${'x/'.repeat(100)}`, 'GET')).toBeUndefined();
  });
});
