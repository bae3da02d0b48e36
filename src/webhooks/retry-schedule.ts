import { MAX_QUEUE_DELAY_SECONDS } from '../contracts/queue-messages';

/**
 * Ceiling of the wait before each retry, in seconds (override with WEBHOOK_RETRY_SCHEDULE, a
 * comma-separated list). The first attempt is immediate; one retry per entry; then the delivery
 * is dead. Each wait is drawn uniformly from 0 to its ceiling ("full jitter"), so receivers that
 * failed together are not retried together. Ceilings add up to ~22 hours.
 */
export const DEFAULT_RETRY_SCHEDULE = [15, 60, 300, 900, 3600, 10_800, 21_600, 43_200];

export function retrySchedule(env: { WEBHOOK_RETRY_SCHEDULE?: string }): number[] {
  const configured = env.WEBHOOK_RETRY_SCHEDULE?.split(',').map((entry) => Number(entry.trim()));
  if (!configured || configured.length === 0 || configured.some((value) => !Number.isFinite(value) || value < 0)) return DEFAULT_RETRY_SCHEDULE;
  return configured.map((value) => Math.min(MAX_QUEUE_DELAY_SECONDS, Math.floor(value)));
}

/**
 * Seconds before retry number `retry` (1-based), or null when the schedule is used up. A receiver's
 * Retry-After is honoured as a floor (up to the queue's 12-hour maximum delay).
 */
export function retryDelaySeconds(schedule: number[], retry: number, retryAfterSeconds: number | null, random = Math.random): number | null {
  const ceiling = schedule[retry - 1];
  if (ceiling === undefined) return null;
  const jittered = Math.floor(random() * (ceiling + 1));
  return Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(jittered, retryAfterSeconds ?? 0));
}

/** `Retry-After` as seconds: a number of seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - nowMs) / 1000)) : null;
}
