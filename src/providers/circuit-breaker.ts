import type { Bindings } from '../contracts/env';
import { ApiError } from '../contracts/errors';
import type { ProviderId } from '../contracts/provider-ids';

/**
 * A circuit breaker per provider/model, in isolate memory.
 *
 * - **closed**: calls go through. `CIRCUIT_FAILURE_THRESHOLD` (default 5) upstream faults with no
 *   success in between open it.
 * - **open**: the router skips the provider/model at once (a fast fallback recorded as
 *   `circuit_open` in `fallback_from`) until `retry_at`: `CIRCUIT_COOLDOWN_MS` (default 30 s),
 *   doubled after each failed probe up to 10× the cooldown, with ±10% jitter so isolates that
 *   opened together do not probe together.
 * - **half_open**: after `retry_at` one call is let through as a probe (others keep skipping).
 *   Its success closes the circuit; its failure re-opens it with the longer cooldown.
 *
 * Why per isolate: it costs nothing on the hot path (the budget is one KV read and one Durable
 * Object RPC before the provider call, and both are spent on the key and admission). Each isolate
 * learns on its own within `threshold` calls; a busy isolate, the one that would otherwise pay for
 * the failing upstream, learns first. That is what client-side breakers do (Hystrix, resilience4j,
 * Envoy's outlier detection): the breaker protects the caller's latency, not the upstream's
 * global view.
 *
 * Only upstream faults count (timeouts, 429/overload, 5xx, malformed answers) — never a caller's
 * bad input, and never a tenant's own endpoint (the router does not consult the breaker for
 * those), so one tenant's failing endpoint cannot push other tenants off a provider.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitKey {
  provider: ProviderId;
  model: string;
}

export interface CircuitSnapshot extends CircuitKey {
  state: CircuitState;
  /** Upstream faults since the last success. */
  failures: number;
  opened_at: string | null;
  retry_at: string | null;
}

interface Circuit extends CircuitKey {
  failures: number;
  openedAt: number | null;
  retryAt: number | null;
  /** How many times in a row it opened without a successful probe: drives the backoff. */
  reopenings: number;
  /** When the half-open probe was let through; null when none is in flight. */
  probeSince: number | null;
}

/** The error codes that mean "this upstream is unwell", as opposed to "it refused this input". */
const UPSTREAM_FAULT_CODES = new Set(['upstream_timeout', 'upstream_overloaded', 'upstream_unavailable', 'upstream_error', 'upstream_bad_response']);

const DEFAULT_THRESHOLD = 5;
const DEFAULT_COOLDOWN_MS = 30_000;
const MAX_COOLDOWN_FACTOR = 10;
const JITTER = 0.1;

const circuits = new Map<string, Circuit>();

const keyOf = ({ provider, model }: CircuitKey) => `${provider}/${model}`;

function positive(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

export function circuitSettings(env: Bindings): { threshold: number; cooldownMs: number } {
  return { threshold: Math.floor(positive(env.CIRCUIT_FAILURE_THRESHOLD, DEFAULT_THRESHOLD)), cooldownMs: positive(env.CIRCUIT_COOLDOWN_MS, DEFAULT_COOLDOWN_MS) };
}

export function isUpstreamFault(error: unknown): boolean {
  return error instanceof ApiError && UPSTREAM_FAULT_CODES.has(error.code);
}

function stateOf(circuit: Circuit, now: number): CircuitState {
  if (circuit.retryAt === null) return 'closed';
  return now < circuit.retryAt ? 'open' : 'half_open';
}

/** What the caller does with one call's outcome: `undefined` for success, else the error. */
export interface CircuitPass {
  settle(outcome?: unknown): void;
}

export function circuitOpenError(key: CircuitKey, retryAt: number, now = Date.now()): ApiError {
  const seconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
  return new ApiError(503, 'circuit_open', `${key.provider} (${key.model}) failed repeatedly and is skipped for ${seconds} s; see GET /healthz`, {
    headers: { 'Retry-After': String(seconds) },
  });
}

/**
 * Asks the circuit for `key` whether to call now. Returns a pass to settle with the outcome, or
 * the `circuit_open` error to record as a fast fallback. A probe whose outcome never arrives (the
 * request was cancelled) stops blocking new probes after two provider timeouts.
 */
export function enterCircuit(env: Bindings, key: CircuitKey, probeLeaseMs: number, now = Date.now()): CircuitPass | ApiError {
  const id = keyOf(key);
  let circuit = circuits.get(id);
  if (!circuit) {
    circuit = { ...key, failures: 0, openedAt: null, retryAt: null, reopenings: 0, probeSince: null };
    circuits.set(id, circuit);
  }
  const state = stateOf(circuit, now);
  if (state === 'open') return circuitOpenError(key, circuit.retryAt!, now);
  if (state === 'half_open') {
    if (circuit.probeSince !== null && now - circuit.probeSince < probeLeaseMs) return circuitOpenError(key, now + probeLeaseMs, now);
    circuit.probeSince = now;
  }
  const probing = state === 'half_open';
  const own = circuit;
  return { settle: (outcome?: unknown) => settle(env, own, probing, outcome) };
}

function settle(env: Bindings, circuit: Circuit, probing: boolean, outcome: unknown): void {
  if (probing) circuit.probeSince = null;
  if (outcome === undefined) {
    if (circuit.retryAt !== null) logTransition(circuit, 'closed');
    Object.assign(circuit, { failures: 0, openedAt: null, retryAt: null, reopenings: 0 });
    return;
  }
  // The upstream answered, just not with a result (it rejected the input): no evidence either way.
  if (!isUpstreamFault(outcome)) return;
  const now = Date.now();
  const { threshold, cooldownMs } = circuitSettings(env);
  circuit.failures++;
  // A call already in flight when the circuit opened does not extend the wait; only a probe does.
  const opening = circuit.retryAt === null && circuit.failures >= threshold;
  if (!opening && !probing) return;
  // Open, or re-open after a failed probe, each time waiting twice as long, up to the cap.
  if (opening) circuit.openedAt = now;
  const wait = Math.min(cooldownMs * 2 ** circuit.reopenings, cooldownMs * MAX_COOLDOWN_FACTOR);
  circuit.retryAt = now + wait * (1 - JITTER + Math.random() * 2 * JITTER);
  circuit.reopenings++;
  logTransition(circuit, 'open', (outcome as ApiError).code);
}

/** One line per transition, for `wrangler tail` and log drains: the isolate's view, not a global one. */
function logTransition(circuit: Circuit, state: 'open' | 'closed', cause?: string): void {
  const retryAt = state === 'open' && circuit.retryAt !== null ? new Date(circuit.retryAt).toISOString() : undefined;
  console.warn(JSON.stringify({ level: 'warn', event: `circuit_${state}`, provider: circuit.provider, model: circuit.model, failures: circuit.failures, ...(cause ? { cause } : {}), ...(retryAt ? { retry_at: retryAt } : {}) }));
}

/** Every circuit this isolate has used, for GET /healthz. */
export function circuitSnapshots(now = Date.now()): CircuitSnapshot[] {
  return [...circuits.values()].map((circuit) => ({
    provider: circuit.provider,
    model: circuit.model,
    state: stateOf(circuit, now),
    failures: circuit.failures,
    opened_at: circuit.openedAt === null ? null : new Date(circuit.openedAt).toISOString(),
    retry_at: circuit.retryAt === null ? null : new Date(circuit.retryAt).toISOString(),
  }));
}

/** Forgets every circuit. Tests call it so one test's faults do not decide the next one's route. */
export function resetCircuits(): void {
  circuits.clear();
}
