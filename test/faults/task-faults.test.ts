import { beforeEach, describe, expect, it } from 'vitest';
import { resetCircuits } from '../../src/providers/circuit-breaker';
import { uniqueText } from '../support/api';
import { expectBoundedCalls, expectUpstreamError, post, SLACK_MS, tenantServing, timed, TIMEOUT_MS } from './support';

// Each case is one request whose text carries a directive: a single provider in the plan must end
// in the documented 502/503/504 (and Retry-After where there is one), within the timeout, with
// exactly one call at the stand-in; a second provider in the plan must answer instead.
const TASKS = [
  { task: 'sentiment', path: '/v1/sentiment', body: (text: string) => ({ text }) },
  { task: 'classify', path: '/v1/classify', body: (text: string) => ({ text, labels: ['billing', 'shipping'] }) },
  { task: 'embed', path: '/v1/embed', body: (text: string) => ({ text }) },
] as const;

type Fault = [directive: string, status: number, code: string, retryAfter?: string];

const AI_FAULTS: Fault[] = [
  ['3040', 503, 'upstream_overloaded', '1'],
  // Retry-After: the seconds left until 00:00 UTC, when the free neurons reset (test/upstreams/upstream-errors.test.ts).
  ['3036', 503, 'upstream_overloaded'],
  ['3007', 504, 'upstream_timeout'],
  ['internal', 502, 'upstream_error'],
  ['3042', 502, 'upstream_rejected'],
  ['hang', 504, 'upstream_timeout'],
  ['wrong-shape', 502, 'upstream_bad_response'],
  ['missing-field', 502, 'upstream_bad_response'],
];

const HF_FAULTS: Fault[] = [
  ['503', 503, 'upstream_unavailable', '3'],
  ['loading', 503, 'upstream_unavailable', '20'],
  ['429', 503, 'upstream_overloaded', '1'],
  ['429-retry-after', 503, 'upstream_overloaded', '7'],
  ['500', 502, 'upstream_error'],
  ['502-html', 502, 'upstream_error'],
  ['504', 504, 'upstream_timeout'],
  ['401', 502, 'upstream_auth_failed'],
  ['hang', 504, 'upstream_timeout'],
  ['late', 504, 'upstream_timeout'],
  ['malformed', 502, 'upstream_bad_response'],
  ['wrong-shape', 502, 'upstream_bad_response'],
  ['missing-field', 502, 'upstream_bad_response'],
  ['empty', 502, 'upstream_bad_response'],
  ['text-plain', 502, 'upstream_bad_response'],
];

const PROVIDERS = [
  { provider: 'workers-ai', prefix: 'ai', faults: AI_FAULTS },
  { provider: 'huggingface', prefix: 'hf', faults: HF_FAULTS },
] as const;

beforeEach(() => resetCircuits());

describe.each(TASKS)('$task: upstream faults', ({ task, path, body }) => {
  describe.each(PROVIDERS)('on $provider', ({ provider, prefix, faults }) => {
    const calls = (n: number) => (provider === 'workers-ai' ? { ai: n } : { hf: n });
    // An embedding body is a bare number[][]: it has no fields to lose (`empty` covers its shape).
    const applicable = faults.filter(([directive]) => !(task === 'embed' && provider === 'huggingface' && directive === 'missing-field'));

    it.each(applicable)(`[[${prefix}:%s]] alone → %i %s, one call, within the timeout`, async (directive, status, code, retryAfter) => {
      const tenant = await tenantServing(task, [provider]);
      const text = uniqueText(`refund please [[${prefix}:${directive}]]`);
      const result = await timed(post(tenant, path, body(text)));
      expectUpstreamError(result, status, code);
      if (retryAfter) expect(result.response.headers.get('retry-after')).toBe(retryAfter);
      expect(result.ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      await expectBoundedCalls(text, calls(1));
    });
  });
});

describe.each(TASKS.filter(({ task }) => task !== 'embed'))('$task: fallback after a fault', ({ task, path, body }) => {
  it.each(AI_FAULTS)('[[ai:%s]] → Hugging Face answers, fallback_from says %s', async (directive, _status, code) => {
    const tenant = await tenantServing(task, ['workers-ai', 'huggingface', 'local']);
    const text = uniqueText(`refund please [[ai:${directive}]]`);
    const result = await timed(post(tenant, path, body(text)));
    expect(result.response.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body).toMatchObject({ provider: 'huggingface', fallback_from: [{ provider: 'workers-ai', code }] });
    expect(result.response.headers.get('x-cache')).toBe('MISS');
    await expectBoundedCalls(text, { ai: 1, hf: 1 });
  });

  it.each(HF_FAULTS)('[[hf:%s]] → the local tier answers, fallback_from says %s', async (directive, _status, code) => {
    const tenant = await tenantServing(task, ['huggingface', 'local']);
    const text = uniqueText(`refund please [[hf:${directive}]]`);
    const result = await timed(post(tenant, path, body(text)));
    expect(result.response.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body).toMatchObject({ provider: 'local', fallback_from: [{ provider: 'huggingface', code }] });
    await expectBoundedCalls(text, { hf: 1 });
  });

  it('both remote providers hanging: local answers after two timeouts, not later', async () => {
    const tenant = await tenantServing(task, ['workers-ai', 'huggingface', 'local']);
    const text = uniqueText('refund please [[ai:hang]] [[hf:hang]]');
    const result = await timed(post(tenant, path, body(text)));
    expect(result.body).toMatchObject({ provider: 'local', fallback_from: [{ code: 'upstream_timeout' }, { code: 'upstream_timeout' }] });
    expect(result.ms).toBeGreaterThanOrEqual(2 * TIMEOUT_MS - 50);
    expect(result.ms).toBeLessThan(2 * TIMEOUT_MS + SLACK_MS);
    await expectBoundedCalls(text, { ai: 1, hf: 1 });
  });
});

describe('flat vs nested classification lists', () => {
  it('Hugging Face: both shapes real endpoints send are answers', async () => {
    const tenant = await tenantServing('sentiment', ['huggingface']);
    for (const directive of ['[[hf:flat]]', '']) {
      const result = await timed(post(tenant, '/v1/sentiment', { text: uniqueText(`I love it ${directive}`) }));
      expect(result.response.status, JSON.stringify(result.body)).toBe(200);
      expect(result.body.results[0].label).toBe('positive');
    }
  });

  it('Workers AI documents only the flat list: a nested one is a bad response, and falls back', async () => {
    const alone = await tenantServing('sentiment', ['workers-ai']);
    expectUpstreamError(await timed(post(alone, '/v1/sentiment', { text: uniqueText('I love it [[ai:nested]]') })), 502, 'upstream_bad_response');
    const withFallback = await tenantServing('sentiment', ['workers-ai', 'huggingface']);
    const result = await timed(post(withFallback, '/v1/sentiment', { text: uniqueText('I love it [[ai:nested]]') }));
    expect(result.body).toMatchObject({ provider: 'huggingface', results: [{ label: 'positive' }], fallback_from: [{ provider: 'workers-ai', code: 'upstream_bad_response' }] });
  });
});
