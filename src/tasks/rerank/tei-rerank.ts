import { creditsExhausted, errorDetail, mapHuggingFaceError, resolveEndpoint, retryAfterSeconds } from '../../providers/huggingface/transport';
import type { ProviderCall } from '../../providers/types';
import { malformedUpstreamResponse, upstreamError, withTimeout } from '../../providers/upstream-errors';

export interface TeiRerankBody {
  query: string;
  texts: string[];
  raw_scores: boolean;
  truncate: boolean;
}

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
 * `POST {query, texts, raw_scores, truncate}` to the resolved endpoint: TEI's rerank route (a TEI
 * endpoint serving a reranker answers it at `/`). The @huggingface/inference client has no rerank
 * task, so this is plain fetch under the transport's rules: the same endpoint resolution (tenant
 * endpoint → HF_ENDPOINTS → serverless), the provider timeout, and the same status mapping
 * (503 + estimated_time → Retry-After, 401/403 → auth, 429 → overloaded; bad JSON → bad response).
 */
export async function teiRerank(call: Pick<ProviderCall<unknown, unknown>, 'env' | 'task' | 'model' | 'endpoint' | 'signal'>, body: TeiRerankBody): Promise<unknown> {
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
