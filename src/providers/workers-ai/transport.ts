import type { Bindings } from '../../contracts/env';
import type { ProviderCall } from '../types';
import { ApiError } from '../../contracts/errors';
import { providerNotConfigured, upstreamError, withTimeout } from '../upstream-errors';

/**
 * Internal Workers AI error codes → HTTP status, from Cloudflare's published error table
 * (reference/UPSTREAMS.md §1.5). The binding throws a plain Error whose message carries the
 * code as "<code>: <text>", sometimes behind a class-name prefix.
 */
const STATUS_BY_CODE: Record<number, number> = {
  5007: 400, 5004: 400, 3039: 400, 3003: 400,
  5018: 403, 3041: 403, 5016: 403, 3023: 403,
  5019: 405, 5005: 405,
  3042: 404,
  3006: 413,
  3007: 408, 3008: 408,
  3036: 429, 3040: 429,
};

export function workersAiActive(env: Bindings): { active: boolean; detail: string } {
  if (env.WORKERS_AI === 'off') return { active: false, detail: 'disabled (WORKERS_AI=off: no Cloudflare credentials)' };
  if (!env.AI) return { active: false, detail: 'no AI binding' };
  return { active: true, detail: 'AI binding' };
}

/** Seconds until the next 00:00 UTC, when Workers AI's daily free neurons reset (UPSTREAMS.md §1.2). */
export function secondsUntilUtcMidnight(now = Date.now()): number {
  const midnight = new Date(now);
  midnight.setUTCHours(24, 0, 0, 0);
  return Math.max(1, Math.ceil((midnight.getTime() - now) / 1000));
}

/** An internal code carried as a property (`error.code`, a number or a numeric string), if any. */
function codeProperty(error: unknown): number | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const value = typeof code === 'number' ? code : typeof code === 'string' && /^\d{4}$/.test(code) ? Number(code) : NaN;
  return Number.isInteger(value) && value >= 1000 && value <= 9999 ? value : undefined;
}

export function mapWorkersAiError(error: unknown, now = Date.now()): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const match = /(\d{4}):\s*(.*)$/s.exec(message);
  // The message form "<code>: <text>" first; else a code the error carries as a property.
  const code = match ? Number(match[1]) : codeProperty(error);
  const text = (match?.[2] ?? message).slice(0, 300);
  const status = code !== undefined ? (STATUS_BY_CODE[code] ?? 500) : 500;
  // 3036: the daily free allocation is used up; it resets at 00:00 UTC, not in a second.
  const retryAfter = code === 3036 ? secondsUntilUtcMidnight(now) : undefined;
  return upstreamError('workers-ai', status, code !== undefined ? `${code}: ${text}` : text, retryAfter);
}

/** Calls `env.AI.run` with the timeout, mapping every failure to an upstream ApiError. */
export async function runWorkersAi<T>(call: Pick<ProviderCall<unknown, unknown>, 'env' | 'model' | 'signal'>, inputs: Record<string, unknown>): Promise<T> {
  const { env, model, signal } = call;
  const status = workersAiActive(env);
  if (!status.active || !env.AI) throw providerNotConfigured('workers-ai', status.detail);
  const ai = env.AI as unknown as { run(model: string, inputs: unknown): Promise<unknown> };
  try {
    // The timeout is enforced by racing, not by passing `signal`: an AbortSignal cannot cross an
    // RPC boundary (a service-bound stand-in, AI Gateway wrappers) without a compat flag.
    return (await withTimeout('workers-ai', signal, ai.run(model, inputs))) as T;
  } catch (error) {
    throw mapWorkersAiError(error);
  }
}
