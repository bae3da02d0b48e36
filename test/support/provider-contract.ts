import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ApiError } from '../../src/contracts/errors';
import type { HfEndpoint, TaskProvider } from '../../src/providers/types';
import type { ProviderId } from '../../src/contracts/provider-ids';
import type { TaskDefinition } from '../../src/tasks/types';

type Task<Item, Result, Options> = TaskDefinition<any, Item, Result, Options>;

export interface CallOverrides<Options> {
  env?: Partial<Cloudflare.Env>;
  options?: Options;
  model?: string;
  endpoint?: HfEndpoint;
  timeoutMs?: number;
}

/** Runs one provider mapping directly, as the router would. */
export function callProvider<Item, Result, Options>(
  task: Task<Item, Result, Options>,
  provider: ProviderId,
  items: Item[],
  options: Options,
  overrides: Omit<CallOverrides<Options>, 'options'> = {},
): Promise<Result[]> {
  const mapping = task.providers.find((candidate) => candidate.provider === provider) as TaskProvider<Item, Result, Options>;
  return mapping.run({
    env: { ...env, ...overrides.env },
    task: task.name,
    items,
    options,
    signal: AbortSignal.timeout(overrides.timeoutMs ?? 1_000),
    model: overrides.model ?? mapping.model,
    ...(overrides.endpoint ? { endpoint: overrides.endpoint } : {}),
  });
}

export async function failureOf(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

export interface ContractSample<Item, Result, Options> {
  items: Item[];
  options: Options;
  result: z.ZodType;
  /** Task-specific expectations on the answers to `items` (e.g. the right labels), per provider. */
  check?: (results: Result[], provider: ProviderId) => void;
}

/**
 * The provider contract, the same for every provider of every task: one valid result per input,
 * in input order; an empty batch answers nothing; the default model is in the task's catalog.
 */
export function describeProviderContract<Item, Result, Options>(task: Task<Item, Result, Options>, sample: ContractSample<Item, Result, Options>): void {
  describe.each(task.providers.map((mapping) => [mapping.provider] as const))(`${task.name} on %s (provider contract)`, (provider) => {
    it('returns one valid result per input, in input order', async () => {
      const results = await callProvider(task, provider, sample.items, sample.options);
      expect(results).toHaveLength(sample.items.length);
      for (const result of results) expect(sample.result.safeParse(result).error).toBeUndefined();
      sample.check?.(results, provider);
    });

    it('answers an empty batch with no results', async () => {
      expect(await callProvider(task, provider, [], sample.options)).toEqual([]);
    });

    it("runs a model from the task's priced catalog by default", () => {
      const mapping = task.providers.find((candidate) => candidate.provider === provider)!;
      expect(task.models.find((model) => model.id === mapping.model)).toMatchObject({ task: task.name, provider });
    });
  });
}

const AI_FAULTS: [string, number, string][] = [
  ['3040', 503, 'upstream_overloaded'],
  ['3036', 503, 'upstream_overloaded'],
  ['3007', 504, 'upstream_timeout'],
  ['3042', 502, 'upstream_rejected'],
  ['wrong-shape', 502, 'upstream_bad_response'],
  ['hang', 504, 'upstream_timeout'],
];

const HF_FAULTS: [string, number, string][] = [
  ['503', 503, 'upstream_unavailable'],
  ['429', 503, 'upstream_overloaded'],
  ['500', 502, 'upstream_error'],
  ['401', 502, 'upstream_auth_failed'],
  ['malformed', 502, 'upstream_bad_response'],
  ['wrong-shape', 502, 'upstream_bad_response'],
  ['hang', 504, 'upstream_timeout'],
];

/**
 * Upstream faults, asked of the stand-ins with a directive inside an item's text, must become the
 * right 502/503/504 for every remote provider of the task.
 */
export function describeUpstreamFaults<Item, Result, Options>(
  task: Task<Item, Result, Options>,
  itemWith: (directive: string) => Item,
  options: Options,
): void {
  const remote = task.providers.map((mapping) => mapping.provider).filter((provider) => provider !== 'local');
  describe.each(remote.map((provider) => [provider] as const))(`${task.name} on %s: upstream faults`, (provider) => {
    const faults = provider === 'workers-ai' ? AI_FAULTS : HF_FAULTS;
    const prefix = provider === 'workers-ai' ? 'ai' : 'hf';
    it.each(faults)(`[[${prefix}:%s]] → %i %s`, async (fault, status, code) => {
      const error = await failureOf(callProvider(task, provider, [itemWith(`[[${prefix}:${fault}]]`)], options));
      expect([error.status, error.code]).toEqual([status, code]);
      expect(error.message).not.toContain(env.HF_TOKEN!);
    });
  });
}
