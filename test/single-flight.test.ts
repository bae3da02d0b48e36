import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { aiCallsFor, createTenant, json, type TestTenant } from './support/api';
import { flightsFor } from '../src/durable-objects/flight-coordinator/client';

const slowText = (base = 'I love it') => `${crypto.randomUUID()} ${base} [[ai:slow]]`;

/** A request straight to the Worker with a chosen env, as a request landing in another isolate would. */
async function viaWorker(tenant: TestTenant, text: string | string[], overrides: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const request = new Request('https://minnow.test/v1/sentiment', {
    method: 'POST',
    headers: { ...tenant.auth, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ text }),
  });
  const response = await worker.fetch(request, { ...env, ...overrides } as never, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

async function burst(tenant: TestTenant, text: string, count: number, overrides?: Record<string, string>) {
  const responses = await Promise.all(Array.from({ length: count }, () => viaWorker(tenant, text, overrides)));
  const bodies = await Promise.all(responses.map((response) => json(response)));
  return { statuses: responses.map((r) => r.status), caches: responses.map((r) => r.headers.get('x-cache')).sort(), bodies };
}

describe('single-flight: concurrent identical requests reach the provider once', () => {
  it('within one isolate', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const text = slowText();
    const { statuses, caches, bodies } = await burst(tenant, text, 8);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(await aiCallsFor(text)).toBe(1);
    expect(caches).toEqual(['COALESCED', 'COALESCED', 'COALESCED', 'COALESCED', 'COALESCED', 'COALESCED', 'COALESCED', 'MISS']);
    for (const body of bodies) expect(body.results).toEqual(bodies[0].results);
    const coalesced = bodies.filter((body) => body.usage.coalesced_items === 1);
    expect(coalesced).toHaveLength(7);
    for (const body of coalesced) expect(body.usage.cost_usd).toBe(0);
  });

  it('across isolates, through the tenant’s FlightCoordinator', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const text = slowText();
    const { caches } = await burst(tenant, text, 6, { SINGLE_FLIGHT_IN_ISOLATE: 'off' });
    expect(await aiCallsFor(text)).toBe(1);
    expect(caches.filter((status) => status === 'MISS')).toHaveLength(1);
    expect(caches.filter((status) => status === 'COALESCED')).toHaveLength(5);
  });

  it('shares only the overlap of two batches', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const [x, y, z] = [slowText('good'), slowText('bad'), slowText('great')];
    const [first, second] = await Promise.all([viaWorker(tenant, [x, y]), viaWorker(tenant, [y, z])]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await Promise.all([aiCallsFor(x), aiCallsFor(y), aiCallsFor(z)])).toEqual([1, 1, 1]);
    expect([first.headers.get('x-cache'), second.headers.get('x-cache')].sort()).toEqual(['MISS', 'PARTIAL']);
  });

  it('when the leader fails, followers answer for themselves and nobody hangs', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const text = `${crypto.randomUUID()} [[ai:3040]]`;
    const { statuses } = await burst(tenant, text, 4, { SINGLE_FLIGHT_IN_ISOLATE: 'off' });
    expect(statuses).toEqual([503, 503, 503, 503]);
  });

  it('never coalesces with a finished flight: a later request calls again', async () => {
    const tenant = await createTenant({ providerOrder: { sentiment: ['workers-ai'] } });
    const text = slowText();
    const isolated = { SINGLE_FLIGHT_IN_ISOLATE: 'off' };
    expect((await viaWorker(tenant, text, isolated)).headers.get('x-cache')).toBe('MISS');
    // Skipping the cache asks for a fresh answer: the finished flight must not stand in for one.
    const later = await viaWorker(tenant, text, isolated, { 'cache-control': 'no-cache' });
    expect(later.headers.get('x-cache')).toBe('MISS');
    expect(await aiCallsFor(text)).toBe(2);
  });
});

describe('FlightCoordinator', () => {
  const coordinator = () => flightsFor(env, `unit-${crypto.randomUUID()}`);
  const entry = (result: string) => ({ result, model: 'm', provider: 'local', cached_at: '2026-11-28T00:00:00Z' });

  it('makes the first joiner lead and later joiners follow until it completes', async () => {
    const flights = coordinator();
    expect(await flights.join(['a', 'b'], 5_000)).toEqual({ lead: ['a', 'b'], follow: [] });
    expect(await flights.join(['b', 'c'], 5_000)).toEqual({ lead: ['c'], follow: ['b'] });
    const waiting = flights.wait(['b']);
    await flights.complete([{ key: 'a', value: entry('A') }, { key: 'b', value: entry('B') }]);
    expect(await waiting).toEqual([entry('B')]);
    expect(await flights.join(['a'], 5_000)).toEqual({ lead: ['a'], follow: [] });
  });

  it('owes the answer to a follower that asks after the leader landed', async () => {
    const flights = coordinator();
    await flights.join(['k'], 5_000);
    await flights.join(['k'], 5_000);
    await flights.complete([{ key: 'k', value: entry('K') }]);
    expect(await flights.wait(['k'])).toEqual([entry('K')]);
    expect(await flights.wait(['k'])).toEqual([null]);
  });

  it('releases followers with null when the leader has nothing to share or the flight expires', async () => {
    const flights = coordinator();
    await flights.join(['x', 'y'], 5_000);
    await flights.join(['x'], 5_000);
    const waiting = flights.wait(['x']);
    await flights.complete([{ key: 'x', value: null }]);
    expect(await waiting).toEqual([null]);
    const short = coordinator();
    await short.join(['z'], 50);
    await short.join(['z'], 50);
    expect(await short.wait(['z'])).toEqual([null]);
  });
});
