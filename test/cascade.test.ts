import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { usageForTenant } from '../src/storage/usage';
import { sentimentTask } from '../src/tasks/sentiment/task';
import { ADMIN, aiCallsFor, call, configureTask, createTenant, json } from './support/api';
import { callProvider } from './support/provider-contract';

const THRESHOLD = 0.8;
const localScore = async (text: string) => (await callProvider(sentimentTask, 'local', [text], {}))[0]!.score;
const sentiment = (auth: Record<string, string>, text: string | string[]) => call('/v1/sentiment', { headers: auth, body: { text } });

async function cascadingTenant() {
  const tenant = await createTenant();
  await configureTask(tenant.id, 'sentiment', { providers: ['local', 'workers-ai'], cascade: { threshold: THRESHOLD } });
  return tenant;
}

// Texts the local lexicon is sure about, and one it is not (checked, not assumed). The unique
// part goes first: as a sentence of its own it would dilute the lexicon's average polarity.
const confidentText = () => `${crypto.randomUUID()} I love this product, it is wonderful!`;
const unsureText = () => `${crypto.randomUUID()} Not bad :)`;

describe('cascade: the local tier answers when confident, escalates when not', () => {
  it('keeps a confident local answer, at no cost and with no upstream call', async () => {
    const tenant = await cascadingTenant();
    const text = confidentText();
    expect(await localScore(text)).toBeGreaterThanOrEqual(THRESHOLD);
    const response = await sentiment(tenant.auth, text);
    const body = await json(response);
    expect(response.headers.get('x-cascade-step')).toBe('local');
    expect(body).toMatchObject({ provider: 'local', usage: { cost_usd: 0 }, cascade: { threshold: THRESHOLD, answered: [{ provider: 'local', items: 1 }] } });
    expect(await aiCallsFor(text)).toBe(0);
  });

  it('escalates an unsure item to the next provider and says why', async () => {
    const tenant = await cascadingTenant();
    const text = unsureText();
    expect(await localScore(text)).toBeLessThan(THRESHOLD);
    const response = await sentiment(tenant.auth, text);
    const body = await json(response);
    expect(response.headers.get('x-cascade-step')).toBe('workers-ai');
    expect(body.provider).toBe('workers-ai');
    expect(body.cascade.answered).toEqual([{ provider: 'workers-ai', items: 1, reason: `local confidence < ${THRESHOLD}` }]);
    expect(body.usage.cost_usd).toBeGreaterThan(0);
    expect(await aiCallsFor(text)).toBe(1);
    // The escalated answer is the tenant's answer: cached like any other.
    const again = await sentiment(tenant.auth, text);
    expect(again.headers.get('x-cache')).toBe('HIT');
    expect((await json(again)).results).toEqual(body.results);
    expect(await aiCallsFor(text)).toBe(1);
  });

  it('splits a batch: only the unsure items reach the paid provider, in order', async () => {
    const tenant = await cascadingTenant();
    const [sure, unsure] = [confidentText(), unsureText()];
    const response = await sentiment(tenant.auth, [sure, unsure]);
    const body = await json(response);
    expect(response.headers.get('x-cascade-step')).toBe('local,workers-ai');
    expect(body.cascade.answered.map((step: { provider: string; items: number }) => [step.provider, step.items])).toEqual([['local', 1], ['workers-ai', 1]]);
    expect(body.results).toHaveLength(2);
    expect(await aiCallsFor(sure)).toBe(0);
    expect(await aiCallsFor(unsure)).toBe(1);
    const events = await eventually(() => usageForTenant(env.DB, tenant.id), (rows) => rows.length > 0);
    expect(events[0]!.cascade_step).toBe('local,workers-ai');
  });

  it('keeps the local answer when every escalation fails, and does not cache it', async () => {
    const tenant = await cascadingTenant();
    const text = `${unsureText()} [[ai:3040]]`;
    const response = await sentiment(tenant.auth, text);
    const body = await json(response);
    expect(response.status).toBe(200);
    expect(body.provider).toBe('local');
    expect(body.fallback_from).toEqual([{ provider: 'workers-ai', code: 'upstream_overloaded' }]);
    expect(body.cascade.answered[0].reason).toContain('escalation failed');
    expect((await sentiment(tenant.auth, text)).headers.get('x-cache')).toBe('MISS');
  });

  it('is configured per tenant and task, with a documented default threshold', async () => {
    const tenant = await createTenant();
    const saved = await configureTask(tenant.id, 'sentiment', { providers: ['local', 'huggingface'], cascade: {} });
    expect(saved.cascade).toEqual({ threshold: sentimentTask.defaultCascadeThreshold });
    const refuse = async (task: string, config: unknown) => json(await call(`/admin/tenants/${tenant.id}/tasks/${task}`, { method: 'PUT', headers: ADMIN, body: config }));
    expect((await refuse('embed', { providers: ['local', 'workers-ai'], cascade: {} })).error.param).toBe('cascade');
    expect((await refuse('sentiment', { providers: ['workers-ai', 'local'], cascade: {} })).error.param).toBe('providers');
    expect((await refuse('sentiment', { providers: ['local', 'workers-ai'], cascade: { threshold: 2 } })).error.param).toBe('cascade.threshold');
  });
});

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < 100 && !done(value); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

describe('cascade on moderation: the local verdict carries a confidence (issue 14)', () => {
  it('keeps a sure local verdict and escalates a veiled threat the lexicon does not flag', async () => {
    const tenant = await createTenant();
    // No threshold given: moderation's default (0.8) applies.
    await configureTask(tenant.id, 'moderate', { providers: ['local', 'workers-ai'], cascade: {} });
    const sure = `${crypto.randomUUID()} The replacement arrived today, thanks.`;
    const veiled = `${crypto.randomUUID()} I have your home address now. See you soon.`;
    const body = await json(await call('/v1/moderate', { headers: tenant.auth, body: { text: [sure, veiled] } }));
    expect(body.cascade).toMatchObject({ threshold: 0.8 });
    expect(body.cascade.answered.map((step: { provider: string; items: number }) => [step.provider, step.items])).toEqual([['local', 1], ['workers-ai', 1]]);
    expect(body.results[0]).toMatchObject({ flagged: false });
    expect(body.results[0].confidence).toBeGreaterThanOrEqual(0.8);
    expect(body.results[1].confidence).toBeUndefined(); // Llama Guard's verdict: no local confidence
    expect(await aiCallsFor(veiled)).toBe(1);
    expect(await aiCallsFor(sure)).toBe(0);
  });
});
