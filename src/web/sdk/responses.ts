import { MinnowError } from './errors';

/** Reads a failed response into a MinnowError, whatever its body turned out to be. */
export async function errorFromResponse(response: Response): Promise<MinnowError> {
  const retryAfter = Number(response.headers.get('retry-after'));
  let body: { error?: Record<string, string> } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // not JSON (a proxy's HTML page): the status says enough
  }
  const error = body.error ?? { request_id: response.headers.get('x-request-id') ?? undefined } as Record<string, string>;
  return new MinnowError(response.status, error, Number.isFinite(retryAfter) && response.headers.has('retry-after') ? retryAfter : undefined);
}
