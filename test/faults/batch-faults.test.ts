import { beforeEach, describe, expect, it } from 'vitest';
import { resetCircuits } from '../../src/providers/circuit-breaker';
import { aiCallsFor, hfCallsFor, uniqueText } from '../support/api';
import { post, tenantServing, timed } from './support';

/** The per-item HF tasks run at most this many calls at once (src/tasks/<task>/providers.ts). */
const UPSTREAM_CONCURRENCY = 4;
const BATCH = 12;

beforeEach(() => resetCircuits());

async function callsFor(texts: string[], count: (text: string) => Promise<number>) {
  let total = 0;
  for (const text of texts) total += await count(text);
  return total;
}

describe('a batch against a failing upstream', () => {
  it.each(['503', '429', 'malformed'])('[[hf:%s]] on every item: the calls stop at the first failure, not one per item', async (directive) => {
    const tenant = await tenantServing('sentiment', ['huggingface', 'local']);
    const texts = Array.from({ length: BATCH }, () => uniqueText(`meh [[hf:${directive}]]`));
    const result = await timed(post(tenant, '/v1/sentiment', { text: texts }));
    expect(result.body).toMatchObject({ provider: 'local', fallback_from: [{ provider: 'huggingface' }] });
    // The lanes already in flight finish; no new call starts once one has failed.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await callsFor(texts, hfCallsFor)).toBeLessThanOrEqual(UPSTREAM_CONCURRENCY);
  });

  it('one failing item: the batch has already fallen back, so no further item is sent', async () => {
    const tenant = await tenantServing('sentiment', ['huggingface', 'local']);
    // The good items answer slowly, so the failure is known before any lane is free to take a next
    // item: with instant answers a good lane could finish first and rightly start a fifth call.
    const texts = [uniqueText('meh [[hf:503]]'), ...Array.from({ length: BATCH - 1 }, () => uniqueText('I love it [[hf:slow]]'))];
    const result = await timed(post(tenant, '/v1/sentiment', { text: texts }));
    expect(result.body).toMatchObject({ provider: 'local', fallback_from: [{ provider: 'huggingface', code: 'upstream_unavailable' }] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await callsFor(texts, hfCallsFor)).toBeLessThanOrEqual(UPSTREAM_CONCURRENCY);
  });

  it('a batch that fails on Workers AI is one call (the batch endpoint), then the fallback', async () => {
    const tenant = await tenantServing('embed', ['workers-ai']);
    const texts = Array.from({ length: BATCH }, () => uniqueText('meh [[ai:3040]]'));
    const result = await timed(post(tenant, '/v1/embed', { text: texts }));
    expect(result.response.status).toBe(503);
    // One call carries the whole batch: every text was sent exactly once.
    expect(await callsFor(texts, aiCallsFor)).toBe(BATCH);
  });
});
