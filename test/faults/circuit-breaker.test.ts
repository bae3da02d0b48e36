import { env } from 'cloudflare:test';
import { beforeEach, describe, expect, it } from 'vitest';
import { resetCircuits } from '../../src/providers/circuit-breaker';
import { aiCallsFor, call, configureTask, hfCallsFor, hfOrigin, json, type TestTenant, uniqueText } from '../support/api';
import { chat, createBot, readEvents, tenantWithBot } from '../chat/support';
import { expectUpstreamError, post, tenantServing, timed } from './support';

const SENTIMENT_AI = '@cf/huggingface/distilbert-sst-2-int8';
const CHAT_AI = '@cf/meta/llama-3.2-1b-instruct';
/** vitest.config.ts: CIRCUIT_COOLDOWN_MS (the tests' value) and the default threshold. */
const COOLDOWN_MS = 400;
const THRESHOLD = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function circuitOf(provider: string, model: string) {
  const health = await json(await call('/healthz'));
  return health.circuit_breaker.circuits.find((circuit: { provider: string; model: string }) => circuit.provider === provider && circuit.model === model);
}

const sentiment = (tenant: TestTenant, text: string) => timed(post(tenant, '/v1/sentiment', { text }));

async function failWorkersAi(tenant: TestTenant, times: number) {
  for (let i = 0; i < times; i++) expect((await sentiment(tenant, uniqueText('meh [[ai:3040]]'))).body.fallback_from[0].code).toBe('upstream_overloaded');
}

beforeEach(() => resetCircuits());

describe('circuit breaker per provider/model', () => {
  it(`opens after ${THRESHOLD} upstream faults in a row; then the provider is skipped without a call`, async () => {
    const tenant = await tenantServing('sentiment', ['workers-ai', 'local']);
    await failWorkersAi(tenant, THRESHOLD - 1);
    expect(await circuitOf('workers-ai', SENTIMENT_AI)).toMatchObject({ state: 'closed', failures: THRESHOLD - 1, opened_at: null, retry_at: null });
    await failWorkersAi(tenant, 1);
    const open = await circuitOf('workers-ai', SENTIMENT_AI);
    expect(open).toMatchObject({ state: 'open', failures: THRESHOLD, opened_at: expect.any(String), retry_at: expect.any(String) });
    const wait = Date.parse(open.retry_at) - Date.parse(open.opened_at);
    expect(wait).toBeGreaterThanOrEqual(COOLDOWN_MS * 0.9);
    expect(wait).toBeLessThanOrEqual(COOLDOWN_MS * 1.1);

    const text = uniqueText('I love it');
    const skipped = await sentiment(tenant, text);
    expect(skipped.body).toMatchObject({ provider: 'local', fallback_from: [{ provider: 'workers-ai', code: 'circuit_open' }] });
    expect(await aiCallsFor(text)).toBe(0);
  });

  it('a success in between resets the count', async () => {
    const tenant = await tenantServing('sentiment', ['workers-ai', 'local']);
    await failWorkersAi(tenant, THRESHOLD - 1);
    expect((await sentiment(tenant, uniqueText('I love it'))).body.provider).toBe('workers-ai');
    await failWorkersAi(tenant, THRESHOLD - 1);
    expect(await circuitOf('workers-ai', SENTIMENT_AI)).toMatchObject({ state: 'closed', failures: THRESHOLD - 1 });
  });

  it('with no other provider, an open circuit is a 503 circuit_open with Retry-After', async () => {
    const tenant = await tenantServing('sentiment', ['workers-ai']);
    for (let i = 0; i < THRESHOLD; i++) await sentiment(tenant, uniqueText('meh [[ai:3040]]'));
    const text = uniqueText('I love it');
    const refused = await sentiment(tenant, text);
    expectUpstreamError(refused, 503, 'circuit_open');
    expect(refused.response.headers.get('retry-after')).toBe('1');
    expect(await aiCallsFor(text)).toBe(0);
  });

  it('half-opens after the cooldown; a successful probe closes it', async () => {
    const tenant = await tenantServing('sentiment', ['workers-ai', 'local']);
    await failWorkersAi(tenant, THRESHOLD);
    await sleep(COOLDOWN_MS * 1.1 + 50);
    expect(await circuitOf('workers-ai', SENTIMENT_AI)).toMatchObject({ state: 'half_open' });
    const text = uniqueText('I love it');
    expect((await sentiment(tenant, text)).body).toMatchObject({ provider: 'workers-ai' });
    expect(await aiCallsFor(text)).toBe(1);
    expect(await circuitOf('workers-ai', SENTIMENT_AI)).toMatchObject({ state: 'closed', failures: 0, opened_at: null, retry_at: null });
  });

  it('a failed probe re-opens it for twice as long', async () => {
    const tenant = await tenantServing('sentiment', ['workers-ai', 'local']);
    await failWorkersAi(tenant, THRESHOLD);
    const first = await circuitOf('workers-ai', SENTIMENT_AI);
    await sleep(COOLDOWN_MS * 1.1 + 50);
    const text = uniqueText('meh [[ai:3040]]');
    const probe = await sentiment(tenant, text);
    expect(probe.body.fallback_from).toEqual([{ provider: 'workers-ai', code: 'upstream_overloaded' }]);
    expect(await aiCallsFor(text)).toBe(1);
    const reopened = await circuitOf('workers-ai', SENTIMENT_AI);
    expect(reopened).toMatchObject({ state: 'open', failures: THRESHOLD + 1, opened_at: first.opened_at });
    const wait = Date.parse(reopened.retry_at) - Date.now();
    expect(wait).toBeGreaterThan(COOLDOWN_MS * 2 * 0.9 - 200);
    expect(wait).toBeLessThanOrEqual(COOLDOWN_MS * 2 * 1.1);
  });

  it('lets one probe through at a time; the others still skip', async () => {
    const tenant = await tenantServing('sentiment', ['workers-ai', 'local']);
    await failWorkersAi(tenant, THRESHOLD);
    await sleep(COOLDOWN_MS * 1.1 + 50);
    const probeText = uniqueText('I love it [[ai:slow]]');
    const otherText = uniqueText('I love it');
    const probe = sentiment(tenant, probeText);
    // The probe is at the stand-in (it answers after 300 ms): now a second request arrives.
    while ((await aiCallsFor(probeText)) === 0) await sleep(10);
    const other = await sentiment(tenant, otherText);
    expect(other.body).toMatchObject({ provider: 'local', fallback_from: [{ provider: 'workers-ai', code: 'circuit_open' }] });
    expect((await probe).body.provider).toBe('workers-ai');
    expect([await aiCallsFor(probeText), await aiCallsFor(otherText)]).toEqual([1, 0]);
    expect(await circuitOf('workers-ai', SENTIMENT_AI)).toMatchObject({ state: 'closed' });
  });

  it("is not opened by a caller's bad input, nor by an upstream refusing an input", async () => {
    const tenant = await tenantServing('sentiment', ['workers-ai', 'local']);
    for (let i = 0; i < THRESHOLD + 1; i++) {
      expect((await call('/v1/sentiment', { headers: tenant.auth, body: { text: '' } })).status).toBe(400);
      expect((await sentiment(tenant, uniqueText('meh [[ai:3042]]'))).body.fallback_from[0].code).toBe('upstream_rejected');
    }
    expect((await circuitOf('workers-ai', SENTIMENT_AI)) ?? { state: 'closed', failures: 0 }).toMatchObject({ state: 'closed', failures: 0 });
    expect((await sentiment(tenant, uniqueText('I love it'))).body.provider).toBe('workers-ai');
  });

  it("a tenant's own endpoint failing never opens the shared circuit, and is always tried", async () => {
    const own = await tenantServing('sentiment', ['huggingface', 'local']);
    await configureTask(own.id, 'sentiment', { providers: ['huggingface', 'local'], huggingface_endpoint: { url: `${hfOrigin()}/endpoints/sentiment/acme`, token: 'hf_acme_own' } });
    for (let i = 0; i < THRESHOLD + 2; i++) {
      const text = uniqueText('meh [[hf:500]]');
      expect((await sentiment(own, text)).body.fallback_from).toEqual([{ provider: 'huggingface', code: 'upstream_error' }]);
      expect(await hfCallsFor(text)).toBe(1);
    }
    const health = await json(await call('/healthz'));
    expect(health.circuit_breaker.circuits.filter((circuit: { provider: string }) => circuit.provider === 'huggingface')).toEqual([]);
    const other = await tenantServing('sentiment', ['huggingface']);
    expect((await sentiment(other, uniqueText('I love it'))).body).toMatchObject({ provider: 'huggingface' });
  });

  it('streamed chat skips an open circuit too', async () => {
    const { tenant, kb } = await tenantWithBot();
    const failing = await createBot(tenant.auth, { knowledge_bases: [kb.id], instructions: 'Be brief. [[ai:3040]]' });
    for (let i = 0; i < THRESHOLD; i++) {
      const body = await json(await chat(tenant.auth, { bot: failing.id, message: `How long do refunds take? ${crypto.randomUUID()}` }));
      expect(body.fallback_from).toEqual([{ provider: 'workers-ai', code: 'upstream_overloaded' }]);
    }
    expect(await circuitOf('workers-ai', CHAT_AI)).toMatchObject({ state: 'open' });
    const marker = crypto.randomUUID();
    const healthy = await createBot(tenant.auth, { knowledge_bases: [kb.id], instructions: `Be brief. ${marker}` });
    const events = await readEvents(await chat(tenant.auth, { bot: healthy.id, message: 'How long do refunds take?', stream: true }));
    expect(events.at(-1)!.data).toMatchObject({ provider: 'huggingface', fallback_from: [{ provider: 'workers-ai', code: 'circuit_open' }] });
    expect(await env.AI_CONTROL.callsFor(marker, CHAT_AI)).toBe(0);
  });

  it('is documented in the OpenAPI Health schema', async () => {
    const doc = await json(await call('/openapi.json'));
    expect(Object.keys(doc.components.schemas.Circuit.properties)).toEqual(['provider', 'model', 'state', 'failures', 'opened_at', 'retry_at']);
    expect(doc.components.schemas.Health.properties.circuit_breaker).toBeDefined();
  });
});
