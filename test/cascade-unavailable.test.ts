import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { Bindings } from '../src/contracts/env';
import { guardFor } from '../src/durable-objects/tenant-guard/client';
import type { TaskContext } from '../src/pipeline/context';
import { estimateCost, runTask, resolveTask, type TaskEnvelope } from '../src/pipeline/run-task';
import { classifyTask } from '../src/tasks/classify/task';
import { TRAINED_CASCADE_THRESHOLD } from '../src/tasks/classify/trained';
import { sentimentTask } from '../src/tasks/sentiment/task';
import type { AnyTask } from '../src/tasks/types';
import { aiCallsFor, configureTask, createTenant, type TestTenant } from './support/api';
import { callProvider } from './support/provider-contract';
import { trainedClassifier } from './classifiers/support';

// `npm start` as the black-box pass ran it: no Workers AI (WORKERS_AI=off, wrangler.toml) and no
// HF_TOKEN, so the router plans the local tier alone (providers/router.ts planProviders).
const bare: Bindings = { ...env, WORKERS_AI: 'off', HF_TOKEN: undefined };
const THRESHOLD = 0.8;

/** One request through the pipeline as a door runs it (admitted, then runTask), in the deployment `on`. */
async function run(on: Bindings, tenant: TestTenant, task: AnyTask, input: unknown) {
  const admission = await guardFor(on, tenant.id).admit({ tenantId: tenant.id, keyId: tenant.keyId, spends: true, estimate: estimateCost(on, task, input) });
  const ctx: TaskContext = {
    env: on,
    policy: admission.policy!,
    keyId: tenant.keyId,
    requestId: `req_${crypto.randomUUID()}`,
    noCache: false,
    startedAt: Date.now(),
    ...(admission.reservation ? { reservation: admission.reservation } : {}),
    waitUntil: () => undefined,
  };
  return runTask<any>(ctx, task, input);
}

const warningOf = (envelope: TaskEnvelope<unknown>) => envelope.warnings?.find((warning) => warning.code === 'cascade_unavailable');

// The unique part goes first (cascade.test.ts says why); scores checked below, not assumed.
const confidentText = () => `${crypto.randomUUID()} I love this product, it is wonderful!`;
const unsureText = () => `${crypto.randomUUID()} Not bad :)`;

describe('a cascade with nowhere to escalate says so (issue 14)', () => {
  it('keeps the unsure local answers uncached and warns, naming them, the threshold and the missing providers', async () => {
    const tenant = await createTenant();
    await configureTask(tenant.id, 'sentiment', { providers: ['local', 'workers-ai'], cascade: { threshold: THRESHOLD } });
    const [sure, unsure] = [confidentText(), unsureText()];
    expect((await callProvider(sentimentTask, 'local', [sure], {}))[0]!.score).toBeGreaterThanOrEqual(THRESHOLD);
    expect((await callProvider(sentimentTask, 'local', [unsure], {}))[0]!.score).toBeLessThan(THRESHOLD);

    const first = await run(bare, tenant, sentimentTask, { text: [sure, unsure] });
    expect(first.cacheStatus).toBe('MISS');
    expect(first.envelope.provider).toBe('local');
    expect(first.envelope.fallback_from).toBeUndefined(); // nothing was called, so nothing failed
    expect(first.envelope.cascade).toEqual({
      threshold: THRESHOLD,
      answered: [
        { provider: 'local', items: 1, reason: `local confidence ≥ ${THRESHOLD}` },
        { provider: 'local', items: 1, reason: `local confidence < ${THRESHOLD}, but no provider to escalate to is configured here (workers-ai)` },
      ],
    });
    const warning = warningOf(first.envelope)!;
    expect(warning.message).toContain('Result 1 is');
    expect(warning.message).toContain(`threshold ${THRESHOLD}`);
    expect(warning.message).toContain('workers-ai is asked for but not configured');

    // The confident answer is cached; the unsure one is not, and warns again.
    const again = await run(bare, tenant, sentimentTask, { text: [sure, unsure] });
    expect(again.cacheStatus).toBe('PARTIAL');
    expect(again.envelope.usage.cached_items).toBe(1);
    expect(again.envelope.results).toEqual(first.envelope.results);
    expect(warningOf(again.envelope)!.message).toBe(warning.message);
    const sureAlone = await run(bare, tenant, sentimentTask, { text: sure });
    expect(sureAlone.cacheStatus).toBe('HIT');
    expect(sureAlone.envelope.warnings).toBeUndefined();

    // Once Workers AI is configured, the kept item escalates instead of being served from a cache.
    const configured = await run(env, tenant, sentimentTask, { text: unsure });
    expect(configured.envelope.provider).toBe('workers-ai');
    expect(warningOf(configured.envelope)).toBeUndefined();
    expect(await aiCallsFor(unsure)).toBe(1);
  });

  it('a trained classifier (cascade on by default) warns for a below-0.9 answer and does not cache it', async () => {
    const tenant = await createTenant();
    const { id } = await trainedClassifier(tenant.auth);
    // No word the classifier knows: its probabilities stay near 1/3 (classifiers.test.ts).
    const input = { text: 'Zxqv blorf wuzzle', classifier: id };
    const task = await resolveTask(bare, tenant.id, classifyTask, input);
    const first = await run(bare, tenant, task, input);
    expect(first.envelope.provider).toBe('local');
    expect(first.envelope.results[0].labels[0].score).toBeLessThan(TRAINED_CASCADE_THRESHOLD);
    expect(first.envelope.cascade!.threshold).toBe(TRAINED_CASCADE_THRESHOLD);
    // The deployment order after local: both are asked for, neither is configured here.
    expect(warningOf(first.envelope)!.message).toContain(`threshold ${TRAINED_CASCADE_THRESHOLD}`);
    expect(warningOf(first.envelope)!.message).toContain('workers-ai, huggingface are asked for but not configured');
    expect((await run(bare, tenant, task, input)).cacheStatus).toBe('MISS');
  });

  it('a tenant who pinned a trained classifier to the local tier gets no cascade and no warning', async () => {
    const tenant = await createTenant();
    const { id } = await trainedClassifier(tenant.auth);
    await configureTask(tenant.id, 'classify', { providers: ['local'] });
    const input = { text: 'Zxqv blorf wuzzle', classifier: id };
    const task = await resolveTask(bare, tenant.id, classifyTask, input);
    const first = await run(bare, tenant, task, input);
    expect(first.envelope.provider).toBe('local');
    expect(first.envelope.cascade).toBeUndefined();
    // No cascade_unavailable; the gibberish is named as text unlike the examples (trained.ts).
    expect(first.envelope.warnings?.map((warning) => warning.code)).toEqual(['classifier_unfamiliar_text']);
    expect((await run(bare, tenant, task, input)).cacheStatus).toBe('HIT');
  });

  it('an ordinary cascade with a configured provider is unchanged: it escalates, with no warning', async () => {
    const tenant = await createTenant();
    await configureTask(tenant.id, 'sentiment', { providers: ['local', 'workers-ai'], cascade: { threshold: THRESHOLD } });
    const unsure = unsureText();
    const { envelope, cacheStatus } = await run(env, tenant, sentimentTask, { text: unsure });
    expect(cacheStatus).toBe('MISS');
    expect(envelope.provider).toBe('workers-ai');
    expect(envelope.cascade).toEqual({ threshold: THRESHOLD, answered: [{ provider: 'workers-ai', items: 1, reason: `local confidence < ${THRESHOLD}` }] });
    expect(envelope.warnings).toBeUndefined();
    expect((await run(env, tenant, sentimentTask, { text: unsure })).cacheStatus).toBe('HIT');
  });
});
