import { env } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { circuitSnapshots, enterCircuit, resetCircuits, type CircuitPass } from '../../src/providers/circuit-breaker';
import { upstreamError } from '../../src/providers/upstream-errors';
import { retryAfterSeconds } from '../../src/providers/huggingface/transport';
import { ApiError } from '../../src/contracts/errors';

const KEY = { provider: 'workers-ai' as const, model: '@cf/test/unit-model' };
const settings = { ...env, CIRCUIT_FAILURE_THRESHOLD: '2', CIRCUIT_COOLDOWN_MS: '1000' };
const LEASE_MS = 2_000;
const overloaded = upstreamError('workers-ai', 429, 'busy');

const pass = () => enterCircuit(settings, KEY, LEASE_MS) as CircuitPass;
const snapshot = () => circuitSnapshots().find((circuit) => circuit.model === KEY.model)!;
const waitOf = () => Date.parse(snapshot().retry_at!) - Date.now();

beforeEach(() => {
  resetCircuits();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.parse('2026-01-01T00:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('circuit breaker (unit, with a fake clock)', () => {
  it('backs off 1×, 2×, 4× … the cooldown per failed probe, capped at 10×, each ±10%', () => {
    pass().settle(overloaded);
    pass().settle(overloaded);
    const waits: number[] = [];
    for (let probe = 0; probe < 6; probe++) {
      waits.push(waitOf());
      vi.setSystemTime(Date.parse(snapshot().retry_at!) + 1);
      pass().settle(overloaded);
    }
    [1, 2, 4, 8, 10, 10].forEach((factor, i) => {
      expect(waits[i]).toBeGreaterThanOrEqual(1000 * factor * 0.9);
      expect(waits[i]).toBeLessThanOrEqual(1000 * factor * 1.1);
    });
  });

  it('a probe that never reports back stops blocking new probes after its lease', () => {
    pass().settle(overloaded);
    pass().settle(overloaded);
    vi.setSystemTime(Date.parse(snapshot().retry_at!) + 1);
    pass(); // the probe, never settled (its request was cancelled)
    expect(enterCircuit(settings, KEY, LEASE_MS)).toBeInstanceOf(ApiError);
    vi.setSystemTime(Date.now() + LEASE_MS + 1);
    const next = enterCircuit(settings, KEY, LEASE_MS);
    expect(next).not.toBeInstanceOf(ApiError);
    (next as CircuitPass).settle();
    expect(snapshot()).toMatchObject({ state: 'closed', failures: 0 });
  });

  it('calls already in flight when it opened do not extend the wait', () => {
    const inFlight = [pass(), pass(), pass()];
    inFlight[0]!.settle(overloaded);
    inFlight[1]!.settle(overloaded);
    const retryAt = snapshot().retry_at;
    inFlight[2]!.settle(overloaded);
    expect(snapshot()).toMatchObject({ state: 'open', failures: 3, retry_at: retryAt });
  });

  it('an upstream refusing an input is no evidence either way', () => {
    pass().settle(overloaded);
    pass().settle(upstreamError('workers-ai', 400, 'too long'));
    pass().settle(new ApiError(400, 'invalid_field', 'bad'));
    expect(snapshot()).toMatchObject({ state: 'closed', failures: 1 });
  });
});

describe('Retry-After, as Hugging Face may send it', () => {
  it('reads seconds and HTTP dates, ignores the rest', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterSeconds('7', now)).toBe(7);
    expect(retryAfterSeconds(' 2.5 ', now)).toBe(2.5);
    expect(retryAfterSeconds('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    for (const junk of [null, '', '0', '-3', 'soon', 'Wed, 31 Dec 2025 23:59:00 GMT']) expect(retryAfterSeconds(junk, now)).toBeUndefined();
  });
});
