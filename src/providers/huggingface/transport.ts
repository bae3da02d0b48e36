import { InferenceClientProviderApiError, InferenceClientProviderOutputError, type Options } from '@huggingface/inference';
import type { Bindings } from '../../contracts/env';
import type { HfEndpoint, ProviderCall } from '../types';
import { ApiError } from '../../contracts/errors';
import { malformedUpstreamResponse, providerNotConfigured, upstreamError, withTimeout } from '../upstream-errors';

const DEFAULT_BASE_URL = 'https://router.huggingface.co/hf-inference/models';

export function huggingFaceActive(env: Bindings): { active: boolean; detail: string } {
  if (!env.HF_TOKEN) return { active: false, detail: 'no HF_TOKEN secret' };
  return { active: true, detail: `HF_TOKEN set, base ${new URL(env.HF_BASE_URL ?? DEFAULT_BASE_URL).host}` };
}

function dedicatedEndpoints(env: Bindings): Record<string, string> {
  if (!env.HF_ENDPOINTS) return {};
  try {
    return JSON.parse(env.HF_ENDPOINTS) as Record<string, string>;
  } catch {
    throw providerNotConfigured('huggingface', 'HF_ENDPOINTS is not valid JSON');
  }
}

/**
 * Where a call goes and with which token. Always an `endpointUrl`, so the client makes no hidden
 * Hub lookup and posts exactly there: the tenant's own endpoint (with the tenant's token), else a
 * deployment endpoint configured for the task in HF_ENDPOINTS, else the serverless router
 * (HF_BASE_URL) with the model id appended — the last two with HF_TOKEN.
 */
export function resolveEndpoint(call: Pick<ProviderCall<unknown, unknown>, 'env' | 'task' | 'model' | 'endpoint'>, pipeline?: HfPipeline): HfEndpoint {
  if (call.endpoint) return call.endpoint;
  if (!call.env.HF_TOKEN) throw providerNotConfigured('huggingface', 'no HF_TOKEN secret');
  const dedicated = dedicatedEndpoints(call.env)[call.task];
  const serverless = `${(call.env.HF_BASE_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, '')}/${call.model}${pipeline ? `/pipeline/${pipeline}` : ''}`;
  return { url: dedicated ?? serverless, token: call.env.HF_TOKEN };
}

/**
 * The serverless pipeline route the client itself would build for a task whose model may default
 * to another pipeline (UPSTREAMS.md §2.1): `…/models/<id>/pipeline/feature-extraction` and
 * `…/pipeline/sentence-similarity`. Without it, a model whose hub task is sentence-similarity
 * (BAAI/bge-m3) answers its default pipeline, not embeddings. Endpoints get no suffix.
 */
export type HfPipeline = 'feature-extraction' | 'sentence-similarity';

/** Whether a call goes to an endpoint (the tenant's, or a deployment's for the task) rather than serverless. */
export function viaEndpoint(call: Pick<ProviderCall<unknown, unknown>, 'env' | 'task' | 'endpoint'>): boolean {
  return call.endpoint !== undefined || dedicatedEndpoints(call.env)[call.task] !== undefined;
}

/**
 * The router's OpenAI-compatible chat route. hf-inference serves no chat models
 * (`…/hf-inference/models/<model>/v1/chat/completions` does not exist; UPSTREAMS.md §2.1, §2.6):
 * chat goes to the router's `/v1/chat/completions` with the model in the body. The router is
 * HF_BASE_URL without its `/hf-inference/models` (or a stand-in's `/models`) suffix.
 */
export function routerChatUrl(env: Bindings): string {
  const base = (env.HF_BASE_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, '').replace(/(\/hf-inference)?\/models$/, '');
  return `${base}/v1/chat/completions`;
}

/**
 * Where a chat call goes: the tenant's endpoint or a deployment endpoint for `chat` (a TGI, vLLM
 * or SGLang server; the client appends `/v1/chat/completions`), else the router's chat route.
 * `viaEndpoint` tells the caller that the URL is a server of one model.
 */
export function resolveChatEndpoint(call: Pick<ProviderCall<unknown, unknown>, 'env' | 'task' | 'model' | 'endpoint'>): HfEndpoint & { viaEndpoint: boolean } {
  if (call.endpoint) return { ...call.endpoint, viaEndpoint: true };
  if (!call.env.HF_TOKEN) throw providerNotConfigured('huggingface', 'no HF_TOKEN secret');
  const dedicated = dedicatedEndpoints(call.env)[call.task];
  return { url: dedicated ?? routerChatUrl(call.env), token: call.env.HF_TOKEN, viaEndpoint: dedicated !== undefined };
}

export interface HfCallArgs {
  accessToken: string;
  endpointUrl: string;
}

/**
 * Runs one `@huggingface/inference` task call with minnow's transport rules: no client-side
 * retry of 503 (the client would otherwise retry at once and forever), the provider timeout, and
 * `reshape` applied to successful JSON bodies so the client's strict shape checks accept every
 * shape real endpoints send (e.g. flat vs nested classification lists).
 */
export async function callHuggingFace<T>(
  call: Pick<ProviderCall<unknown, unknown>, 'env' | 'task' | 'model' | 'endpoint' | 'signal'>,
  request: (args: HfCallArgs, options: Options) => Promise<T>,
  reshape?: (body: unknown) => unknown,
  pipeline?: HfPipeline,
): Promise<T> {
  const { url, token } = resolveEndpoint(call, pipeline);
  const seen: UpstreamHints = {};
  const options: Options = { retry_on_error: false, signal: call.signal, fetch: reshapingFetch(seen, reshape) };
  try {
    return await withTimeout('huggingface', call.signal, request({ accessToken: token, endpointUrl: url }, options));
  } catch (error) {
    throw mapHuggingFaceError(error, call.signal, seen.retryAfterSeconds);
  }
}

/** What the client's error does not carry but the raw response did (it keeps no headers). */
export interface UpstreamHints {
  retryAfterSeconds?: number;
}

/** `Retry-After` in seconds, from either of its forms (delta-seconds or an HTTP date). */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = /^\s*\d+(\.\d+)?\s*$/.test(header) ? Number(header) : (Date.parse(header) - now) / 1000;
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

export function reshapingFetch(seen: UpstreamHints, reshape?: (body: unknown) => unknown): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    seen.retryAfterSeconds = retryAfterSeconds(response.headers.get('retry-after'));
    if (!reshape || !response.ok || !response.headers.get('content-type')?.startsWith('application/json')) return response;
    const body = reshape(await response.json());
    return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
  };
}

/**
 * HF's 402: the account's Inference Providers credits are used up (UPSTREAMS.md §2.5). Not the
 * caller's budget (minnow's own 402) and not a rejected call: its own code, so an operator sees
 * it for what it is; a 502, so the router falls back to the next provider.
 */
export function creditsExhausted(detail: string): ApiError {
  return new ApiError(502, 'upstream_credits_exhausted', `huggingface has no credits left on minnow's account (402): ${detail}`);
}

/**
 * What an error body says: HF's `{"error": "…"}`, an OpenAI-style server's (vLLM, the router)
 * `{"error": {"message": "…"}}`, `{"message"}`/`{"detail"}`, or the raw text — never "[object Object]".
 */
export function errorDetail(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 300);
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const error = record.error;
  const nested = typeof error === 'object' && error !== null ? (error as Record<string, unknown>).message : undefined;
  const said = typeof error === 'string' ? error : typeof nested === 'string' ? nested : [record.message, record.detail].find((value) => typeof value === 'string');
  return String(said ?? JSON.stringify(body)).slice(0, 300);
}

/**
 * The client's errors → minnow's. A 429's `Retry-After` header, else a loading model's
 * `estimated_time`, becomes the caller's `Retry-After`: minnow does not retry the same provider
 * itself (see router.ts), the caller may — through admission, so it is counted and limited.
 */
export function mapHuggingFaceError(error: unknown, signal?: AbortSignal, retryAfter?: number): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof InferenceClientProviderApiError) {
    const { status, body } = error.httpResponse;
    const detail = errorDetail(body);
    if (status === 402) return creditsExhausted(detail);
    const estimated = typeof body === 'object' && body !== null ? Number((body as { estimated_time?: unknown }).estimated_time) : NaN;
    return upstreamError('huggingface', status, detail, retryAfter ?? (Number.isFinite(estimated) && estimated > 0 ? estimated : undefined));
  }
  if (error instanceof InferenceClientProviderOutputError) return malformedUpstreamResponse('huggingface', error.message.slice(0, 300));
  if (error instanceof SyntaxError) return malformedUpstreamResponse('huggingface', 'the body is not valid JSON');
  if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) return upstreamError('huggingface', 408, 'no answer within the provider timeout');
  const message = error instanceof Error ? error.message : String(error);
  return upstreamError('huggingface', 502, `network error: ${message.slice(0, 200)}`);
}
