import { ApiError } from '../contracts/errors';
import type { ProviderId } from '../contracts/provider-ids';

/**
 * Turns an upstream HTTP-like status into the caller-facing error. The caller did nothing wrong,
 * so it is always 502/503/504; the router reads these statuses to decide on a fallback.
 */
export function upstreamError(provider: ProviderId, upstreamStatus: number, detail: string, retryAfterSeconds?: number): ApiError {
  const headers: Record<string, string> = retryAfterSeconds ? { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) } : {};
  // 504 is the upstream's own gateway giving up on the model: a timeout, whoever measured it.
  if (upstreamStatus === 408 || upstreamStatus === 504) return new ApiError(504, 'upstream_timeout', `${provider} timed out: ${detail}`);
  if (upstreamStatus === 429) {
    return new ApiError(503, 'upstream_overloaded', `${provider} is over capacity: ${detail}`, { headers: { 'Retry-After': '1', ...headers } });
  }
  if (upstreamStatus === 503) {
    return new ApiError(503, 'upstream_unavailable', `${provider} is unavailable: ${detail}`, { headers: { 'Retry-After': '1', ...headers } });
  }
  if (upstreamStatus === 401 || upstreamStatus === 403) {
    return new ApiError(502, 'upstream_auth_failed', `${provider} refused minnow's credentials or access to the model: ${detail}`);
  }
  if (upstreamStatus >= 400 && upstreamStatus < 500) {
    return new ApiError(502, 'upstream_rejected', `${provider} rejected the call (${upstreamStatus}): ${detail}`);
  }
  return new ApiError(502, 'upstream_error', `${provider} failed (${upstreamStatus}): ${detail}`);
}

export function malformedUpstreamResponse(provider: ProviderId, detail: string): ApiError {
  return new ApiError(502, 'upstream_bad_response', `${provider} returned an unexpected response: ${detail}`);
}

export function providerNotConfigured(provider: ProviderId, detail: string): ApiError {
  return new ApiError(503, 'provider_not_configured', `${provider} is not configured: ${detail}`);
}

/**
 * Races `work` against the timeout signal, so a stand-in or binding that ignores `signal`
 * still cannot hold the request past the documented timeout.
 */
export async function withTimeout<T>(provider: ProviderId, signal: AbortSignal, work: Promise<T>): Promise<T> {
  if (signal.aborted) throw upstreamError(provider, 408, 'no time left before the call');
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(upstreamError(provider, 408, 'no answer within the provider timeout'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
