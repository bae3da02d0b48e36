import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { checkBudget, plannedEstimate, rollSpend, softLimitsCrossed } from '../src/durable-objects/tenant-guard/budget';
import { DEFAULT_LIMITS, type TenantPolicy } from '../src/contracts/policy';
import { embedTask } from '../src/tasks/embed/task';
import { LOCAL_EMBED_MODEL, WORKERS_AI_EMBED_MODEL } from '../src/tasks/embed/models';
import { takeToken, freshBucket } from '../src/durable-objects/tenant-guard/token-bucket';
import { estimateByProvider, estimateCost, taskPlan } from '../src/pipeline/run-task';
import type { AnyTask } from '../src/tasks/types';
import { listNotifications } from '../src/storage/notifications';
import { sentimentTask } from '../src/tasks/sentiment/task';
import { aiCallsFor, call, configureTask, createTenant, json, uniqueText } from './support/api';
import { guardFor } from '../src/durable-objects/tenant-guard/client';
import { admitBackground } from '../src/admission/background';

describe('token bucket', () => {
  const limits = { rpm: 60, burst: 3, daily_budget_usd: 1 };

  it('allows a burst, then refills at rpm', () => {
    let state = freshBucket(limits, 0);
    const outcomes = [];
    for (let i = 0; i < 4; i++) {
      const taken = takeToken(state, limits, 0);
      outcomes.push(taken.allowed);
      state = taken.state;
    }
    expect(outcomes).toEqual([true, true, true, false]);
    expect(takeToken(state, limits, 999).allowed).toBe(false);
    expect(takeToken(state, limits, 1000).allowed).toBe(true);
  });

  it('says when to retry and when the bucket is full', () => {
    const empty = { tokens: 0, updatedAtMs: 0 };
    const taken = takeToken(empty, limits, 0);
    expect(taken).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 1000, resetMs: 3000 });
  });

  it('clamps a bucket to a lowered burst', () => {
    const taken = takeToken({ tokens: 500, updatedAtMs: 0 }, limits, 0);
    expect(taken.remaining).toBe(2);
  });
});

describe('admission under concurrency', () => {
  it('admits exactly the limit out of many concurrent requests', async () => {
    const limit = 12;
    const tenant = await createTenant({ limits: { rpm: 1, burst: limit } });
    const responses = await Promise.all(
      Array.from({ length: 40 }, () => call('/v1/sentiment', { headers: tenant.auth, body: { text: 'same text' } })),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(limit);
    expect(statuses.filter((status) => status === 429)).toHaveLength(40 - limit);
    const remaining = responses.filter((r) => r.status === 200).map((r) => Number(r.headers.get('ratelimit-remaining')));
    expect(new Set(remaining).size).toBe(limit);
    expect(Math.min(...remaining)).toBe(0);
    for (const response of responses.filter((r) => r.status === 429)) {
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
  });

  it('keeps tenants apart: one tenant at its limit does not limit another', async () => {
    const busy = await createTenant({ limits: { rpm: 1, burst: 1 } });
    const calm = await createTenant({ limits: { rpm: 1, burst: 5 } });
    await call('/v1/sentiment', { headers: busy.auth, body: { text: 'x' } });
    expect((await call('/v1/sentiment', { headers: busy.auth, body: { text: 'x' } })).status).toBe(429);
    expect((await call('/v1/sentiment', { headers: calm.auth, body: { text: 'x' } })).status).toBe(200);
  });

  it('stops the tenant once the day budget is spent, and says when it resets', async () => {
    const tenant = await createTenant({ limits: { daily_budget_usd: 0 } });
    const response = await call('/v1/sentiment', { headers: tenant.auth, body: { text: 'x' } });
    expect(response.status).toBe(402);
    expect((await json(response)).error.message).toMatch(/daily budget of \$0 is spent; it resets at \d{4}-\d\d-\d\dT00:00:00/);
  });
});

describe('budgets: reserve before the call, settle after', () => {
  const text = () => uniqueText('a paid call');
  // The tenants below run sentiment on Workers AI only: what the guard reserves per request.
  const estimate = () => estimateByProvider(env, sentimentTask, { text: text() })['workers-ai']!.usd;
  const spent = (tenantId: string) => guardFor(env, tenantId).spentToday();

  async function eventually(read: () => Promise<number>, done: (value: number) => boolean): Promise<number> {
    let value = await read();
    for (let attempt = 0; attempt < 50 && !done(value); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      value = await read();
    }
    return value;
  }

  it('refuses a request whose estimate does not fit, before any provider is called', async () => {
    const tenant = await createTenant({ limits: { daily_budget_usd: estimate() / 2 }, providerOrder: { sentiment: ['workers-ai'] } });
    const body = text();
    const response = await call('/v1/sentiment', { headers: tenant.auth, body: { text: body } });
    expect(response.status).toBe(402);
    expect((await json(response)).error.message).toContain('does not fit');
    expect(await aiCallsFor(body)).toBe(0);
  });

  it('a burst of concurrent requests cannot overspend: exactly what fits is admitted', async () => {
    const fits = 5;
    const budget = estimate() * (fits + 0.5);
    const tenant = await createTenant({ limits: { daily_budget_usd: budget }, providerOrder: { sentiment: ['workers-ai'] } });
    const responses = await Promise.all(Array.from({ length: 20 }, () => call('/v1/sentiment', { headers: tenant.auth, body: { text: text() } })));
    const admitted = responses.filter((response) => response.status === 200);
    expect(admitted).toHaveLength(fits);
    expect(responses.filter((response) => response.status === 402)).toHaveLength(20 - fits);
    // Settled with what the calls really cost, which is within the budget.
    const actual = (await Promise.all(admitted.map((response) => json(response)))).reduce((sum, body) => sum + body.usage.cost_usd, 0);
    expect(await eventually(() => spent(tenant.id), (value) => value >= actual * 0.999)).toBeCloseTo(actual, 12);
    expect(actual).toBeLessThanOrEqual(budget);
  });

  it('a failed call releases its reservation and costs nothing', async () => {
    const tenant = await createTenant({ limits: { daily_budget_usd: estimate() * 1.5 }, providerOrder: { sentiment: ['workers-ai'] } });
    expect((await call('/v1/sentiment', { headers: tenant.auth, body: { text: `${text()} [[ai:3040]]` } })).status).toBe(503);
    let status = 0;
    for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
      status = (await call('/v1/sentiment', { headers: tenant.auth, body: { text: text() } })).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(200);
  });

  it('enforces monthly and neuron caps', async () => {
    const monthly = await createTenant({ limits: { monthly_budget_usd: 0 } });
    const byMonth = await call('/v1/sentiment', { headers: monthly.auth, body: { text: 'x' } });
    expect(byMonth.status).toBe(402);
    expect((await json(byMonth)).error.message).toContain('monthly budget');
    const neurons = await createTenant({ limits: { daily_budget_neurons: 0 } });
    const byNeurons = await call('/v1/sentiment', { headers: neurons.auth, body: { text: 'x' } });
    expect(byNeurons.status).toBe(402);
    expect((await json(byNeurons)).error.message).toContain('neurons');
  });

  it('records a soft-limit notice once, when spend crosses the ratio', async () => {
    const tenant = await createTenant({ limits: { daily_budget_usd: estimate() * 1.2, soft_limit_ratio: 0.2 }, providerOrder: { sentiment: ['workers-ai'] } });
    expect((await call('/v1/sentiment', { headers: tenant.auth, body: { text: text() } })).status).toBe(200);
    const count = () => listNotifications(env.DB, tenant.id).then((rows) => rows.length);
    expect(await eventually(count, (value) => value > 0)).toBe(1);
    const [notice] = await listNotifications(env.DB, tenant.id);
    expect(notice).toMatchObject({ type: 'budget.soft_limit', payload: { cap: 'daily_usd', ratio: 0.2 } });
  });
});

describe('budget estimates price only the providers that can serve the request (issue #16)', () => {
  const input = () => ({ text: uniqueText('an estimate') });
  const policy = (tasks: TenantPolicy['tasks'] = {}): TenantPolicy => ({ tenantId: 'ten_x', limits: DEFAULT_LIMITS, tasks });

  it('prices only the providers this deployment has configured', () => {
    const everything = estimateCost(env, sentimentTask, input());
    expect(everything.usd).toBeGreaterThan(0);
    expect(everything.neurons).toBeGreaterThan(0);
    expect(estimateCost({ ...env, WORKERS_AI: 'off' }, sentimentTask, input())).toMatchObject({ neurons: 0 });
    expect(estimateCost({ ...env, WORKERS_AI: 'off', HF_TOKEN: undefined }, sentimentTask, input())).toEqual({ usd: 0, neurons: 0 });
  });

  it('prices a request on the tenant\'s plan, with only the providers that can take this input', () => {
    const text = input();
    const planned = (tasks: TenantPolicy['tasks'], task: AnyTask = sentimentTask, request: unknown = text) => plannedEstimate(policy(tasks), taskPlan(env, task, request));
    expect(planned({})).toEqual(estimateCost(env, sentimentTask, text));
    expect(planned({ sentiment: { providers: ['local'] } })).toEqual({ usd: 0, neurons: 0 });
    const hf = planned({ sentiment: { providers: ['huggingface'] } });
    expect(hf.neurons).toBe(0);
    expect(hf.usd).toBeGreaterThan(0);
    // A tenant's own endpoint is billed to the tenant: nothing for minnow to reserve.
    expect(planned({ sentiment: { providers: ['huggingface'], huggingface_endpoint: { url: 'https://x.endpoints.huggingface.cloud', token_encrypted: 'sealed' } } })).toEqual({ usd: 0, neurons: 0 });
    // The input steers the plan: embed's local model is served by the local tier only.
    expect(estimateByProvider(env, embedTask, { text: text.text, model: LOCAL_EMBED_MODEL })).toEqual({ local: { usd: 0, neurons: 0 } });
    expect(planned({}, embedTask, { text: text.text, model: LOCAL_EMBED_MODEL })).toEqual({ usd: 0, neurons: 0 });
    expect(planned({}, embedTask, { text: text.text }).usd).toBeGreaterThan(0);
    // ...and embed's Workers AI model runs on Workers AI even for a tenant whose embed plan is the
    // local tier (its planPolicy), so it is priced there, not at the plan's $0.
    const named = { text: text.text, model: WORKERS_AI_EMBED_MODEL };
    expect(planned({ embed: { providers: ['local'] } }, embedTask, named)).toEqual(estimateCost(env, embedTask, named));
    expect(planned({ embed: { providers: ['local'] } }, embedTask, named).usd).toBeGreaterThan(0);
  });

  it('never refuses a local-only request 402 for its estimate (a $0 local request was refused)', async () => {
    const estimate = estimateCost(env, sentimentTask, input()).usd;
    const tenant = await createTenant({ limits: { daily_budget_usd: estimate / 2, exact_admission: true }, providerOrder: { sentiment: ['local'] } });
    const response = await call('/v1/sentiment', { headers: tenant.auth, body: input() });
    expect(response.status).toBe(200);
    expect((await json(response)).usage.cost_usd).toBe(0);
    // The same budget still refuses what would spend: the tenant's Workers AI task.
    await configureTask(tenant.id, 'sentiment', { providers: ['workers-ai'] });
    expect((await call('/v1/sentiment', { headers: tenant.auth, body: input() })).status).toBe(402);
  });

  it('prices a webhook job\'s tasks on the tenant\'s plan as well', async () => {
    const tenant = await createTenant({ limits: { daily_budget_usd: 1e-9, exact_admission: true }, providerOrder: { sentiment: ['local'] } });
    const local = [
      { task: 'sentiment', providers: estimateByProvider(env, sentimentTask, input()) },
      { task: 'embed', providers: estimateByProvider(env, embedTask, { text: 'x', model: LOCAL_EMBED_MODEL }) },
    ];
    const job = (plans: typeof local) => admitBackground(env, { tenantId: tenant.id, keyId: tenant.keyId, requestId: `job_${crypto.randomUUID()}`, plans }, () => {});
    expect((await job(local)).admission.outcome).toBe('admitted');
    // One task of the job that would spend (embed on the default plan) and the job does not fit.
    const paid = await job([...local, { task: 'embed', providers: estimateByProvider(env, embedTask, { text: 'x' }) }]);
    expect(paid.admission).toMatchObject({ outcome: 'budget_exhausted', budget: { cap: 'daily_usd', exhausted: false } });
  });

  it('serves a $0 task under a zero budget (with a zero cap even /v1/language was 402)', async () => {
    // Exact admission: every request goes to the guard (an isolate's lease could otherwise admit the $0 request on main too).
    const tenant = await createTenant({ limits: { daily_budget_usd: 0, monthly_budget_usd: 0, daily_budget_neurons: 0, exact_admission: true } });
    const language = await call('/v1/language', { headers: tenant.auth, body: { text: 'Bonjour tout le monde, comment allez-vous ?' } });
    expect(language.status).toBe(200);
    expect((await json(language)).results[0].language).toBe('fr');
    expect((await call('/v1/sentiment', { headers: tenant.auth, body: input() })).status).toBe(402);
  });
});

describe('budget arithmetic', () => {
  const limits = { ...DEFAULT_LIMITS, daily_budget_usd: 1, monthly_budget_usd: 10, daily_budget_neurons: 100, soft_limit_ratio: 0.5 };
  const spend = { day: '2026-11-28', month: '2026-11', dayUsd: 0.6, monthUsd: 9.5, dayNeurons: 10 };
  const now = Date.UTC(2026, 10, 28, 12);

  it('checks every cap against spent + reserved + estimate', () => {
    expect(checkBudget(limits, spend, { usd: 0.3, neurons: 0 }, { usd: 0.1, neurons: 0 }, now)).toBeNull();
    expect(checkBudget(limits, spend, { usd: 0.3, neurons: 0 }, { usd: 0.2, neurons: 0 }, now)).toMatchObject({ cap: 'daily_usd', exhausted: false });
    expect(checkBudget({ ...limits, daily_budget_usd: 5 }, spend, { usd: 0, neurons: 0 }, { usd: 0.6, neurons: 0 }, now)).toMatchObject({ cap: 'monthly_usd' });
    expect(checkBudget(limits, spend, { usd: 0, neurons: 0 }, { usd: 0, neurons: 91 }, now)).toMatchObject({ cap: 'daily_neurons' });
    expect(checkBudget(limits, { ...spend, dayUsd: 1 }, { usd: 0, neurons: 0 }, { usd: 0.001, neurons: 0 }, now)).toMatchObject({ cap: 'daily_usd', exhausted: true, resetSeconds: 12 * 3600 });
  });

  it('lets a request through every cap it adds nothing to, even a spent or zero one', () => {
    const spent = { ...spend, dayUsd: 1, monthUsd: 10, dayNeurons: 100 };
    expect(checkBudget(limits, spent, { usd: 0, neurons: 0 }, { usd: 0, neurons: 0 }, now)).toBeNull();
    expect(checkBudget({ ...limits, daily_budget_usd: 0 }, { ...spend, dayUsd: 0 }, { usd: 0, neurons: 0 }, { usd: 0, neurons: 0 }, now)).toBeNull();
    // A Hugging Face call spends dollars, not neurons: only the dollar caps can refuse it.
    expect(checkBudget({ ...limits, daily_budget_usd: 5, monthly_budget_usd: null }, spent, { usd: 0, neurons: 0 }, { usd: 0.01, neurons: 0 }, now)).toBeNull();
  });

  it('starts a new day and month from zero', () => {
    expect(rollSpend(spend, Date.UTC(2026, 10, 29, 0, 0, 1))).toMatchObject({ dayUsd: 0, dayNeurons: 0, monthUsd: 9.5 });
    expect(rollSpend(spend, Date.UTC(2026, 11, 1))).toMatchObject({ dayUsd: 0, monthUsd: 0 });
  });

  it('reports a soft limit once, when it is crossed', () => {
    expect(softLimitsCrossed(limits, { ...spend, dayUsd: 0.4 }, spend)).toEqual(['daily_usd']);
    expect(softLimitsCrossed(limits, spend, { ...spend, dayUsd: 0.7 })).toEqual([]);
  });
});
