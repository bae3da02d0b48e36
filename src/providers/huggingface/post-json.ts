import type { ProviderCall } from '../types';
import { malformedUpstreamResponse, upstreamError, withTimeout } from '../upstream-errors';
import { creditsExhausted, errorDetail, mapHuggingFaceError, resolveEndpoint, retryAfterSeconds } from './transport';

/** HF error bodies carry `error` (TEI adds `error_type`), sometimes `estimated_time` (model loading). */
function upstreamFailure(status: number, body: unknown, text: string, retryAfter: number | undefined) {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  // `{"error": "…"}`, OpenAI-style `{"error": {"message": …}}`, or the raw text (errorDetail).
  const detail = errorDetail(record ?? text);
  if (status === 402) return creditsExhausted(detail);
  const estimated = Number(record?.estimated_time);
  // A 429's own Retry-After wins over a loading model's estimate, as on every other HF path.
  return upstreamError('huggingface', status, detail, retryAfter ?? (Number.isFinite(estimated) && estimated > 0 ? estimated : undefined));
}

/**
 * `POST <body>` as JSON to the resolved endpoint, for the wire forms the @huggingface/inference
 * client has no task for (TEI's rerank; a cross-encoder's text pairs, which its textClassification
 * types as one string and whose answer it cuts to the first pair). Plain fetch under the
 * transport's rules: the same endpoint resolution (tenant endpoint → HF_ENDPOINTS → serverless),
 * the provider timeout, and the same status mapping (503 + estimated_time → Retry-After, 402 →
 * credits exhausted, 401/403 → auth, 429 → overloaded with its Retry-After; bad JSON → bad response).
 */
export async function postJson(call: Pick<ProviderCall<unknown, unknown>, 'env' | 'task' | 'model' | 'endpoint' | 'signal'>, body: unknown): Promise<unknown> {
  const { url, token } = resolveEndpoint(call);
  const work = (async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: call.signal,
    });
    const text = await response.text();
    const isJson = response.headers.get('content-type')?.startsWith('application/json') ?? false;
    if (!response.ok) {
      let parsed: unknown;
      try {
        parsed = isJson ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      throw upstreamFailure(response.status, parsed, text, retryAfterSeconds(response.headers.get('retry-after')));
    }
    if (!isJson) throw malformedUpstreamResponse('huggingface', `expected JSON, got ${response.headers.get('content-type') ?? 'no content type'}`);
    return JSON.parse(text) as unknown; // a SyntaxError becomes upstream_bad_response below
  })();
  try {
    return await withTimeout('huggingface', call.signal, work);
  } catch (error) {
    throw mapHuggingFaceError(error, call.signal);
  } finally {
    work.catch(() => undefined); // after a timeout the abandoned request must not surface as unhandled
  }
}
