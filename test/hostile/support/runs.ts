import { env } from 'cloudflare:test';

/**
 * How hard the properties push. `npm test` uses a fixed seed and a few runs per route so the
 * suite stays fast and any failure replays exactly; `HOSTILE_RUNS=20 HOSTILE_SEED=<n> npm test`
 * (read through vitest.config.ts bindings, since workerd has no process.env) pushes harder.
 */
const vars = env as unknown as Record<string, string | undefined>;
const RUN_SCALE = Number(vars.HOSTILE_RUNS) > 0 ? Number(vars.HOSTILE_RUNS) : 1;
export const SEED = Number.isInteger(Number(vars.HOSTILE_SEED)) && vars.HOSTILE_SEED ? Number(vars.HOSTILE_SEED) : 20261128;

/** `base` runs per property by default; HOSTILE_RUNS=n runs n times as many. */
export function runs(base: number): { seed: number; numRuns: number; endOnFailure: true } {
  return { seed: SEED, numRuns: Math.max(1, Math.round(base * RUN_SCALE)), endOnFailure: true };
}

/** A test timeout that grows with HOSTILE_RUNS (the default fits the workers project's 20 s). */
export const TIMEOUT_MS = Math.max(20_000, Math.round(20_000 * RUN_SCALE));
