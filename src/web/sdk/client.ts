import { MinnowError } from './errors';
import { errorFromResponse } from './responses';
import { readEvents } from './sse';
import type { ChatEvent, ChatParams, ChatResponse, ClientOptions, MinnowClient, RequestOptions, SearchParams, SearchResult, TaskMethods } from './types';

/** Every task route; each becomes a method `client.<task>(body)`. A test checks it against the server's list. */
const TASKS = ['sentiment', 'classify', 'entities', 'language', 'embed', 'similarity', 'rerank', 'answer', 'moderate', 'summarize', 'translate'] as const;
/** Renew a visitor token this long before it expires, so a request never carries a stale one. */
const TOKEN_MARGIN_MS = 60_000;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });

/**
 * A client for a publishable key. Methods resolve to the route's JSON answer and reject with a
 * MinnowError; a 429, or a 503 with `Retry-After`, is retried after that wait (at most
 * `maxRetries` times, and only when the wait is at most `maxRetryDelaySeconds`).
 *
 * @example
 * const minnow = createClient({ key: 'pk_…', baseUrl: 'https://minnow.example.com' });
 * const { results } = await minnow.sentiment({ text: 'Great service!' });
 */
export function createClient(options: ClientOptions): MinnowClient {
  const base = (options.baseUrl ?? new URL(import.meta.url).origin).replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input: string | URL | Request, init?: RequestInit) => fetch(input, init));
  const maxRetries = options.maxRetries ?? 2;
  const maxDelay = options.maxRetryDelaySeconds ?? 20;
  let visitor: Promise<{ token: string; expiresAtMs: number }> | undefined;
  let tokensUnavailable = false;

  async function turnstileHeader(): Promise<Record<string, string>> {
    const token = options.turnstile && (await options.turnstile());
    return token ? { 'cf-turnstile-response': token } : {};
  }

  async function visitorHeader(signal?: AbortSignal): Promise<Record<string, string>> {
    if (!options.visitorToken || tokensUnavailable) return turnstileHeader();
    const current = visitor && (await visitor.catch(() => undefined));
    let pending = visitor;
    if (!pending || !current || current.expiresAtMs - TOKEN_MARGIN_MS < Date.now()) {
      pending = visitor = send<{ token: string; expires_in: number }>('/v1/visitor-token', undefined, { ...(signal ? { signal } : {}) }, await turnstileHeader()).then((body) => ({
        token: body.token,
        expiresAtMs: Date.now() + body.expires_in * 1000,
      }));
    }
    try {
      return { 'x-minnow-visitor': (await pending).token };
    } catch (error) {
      // A deployment without visitor tokens limits visitors by IP: carry on without one.
      if (!(error instanceof MinnowError) || error.code !== 'visitor_tokens_unavailable') throw error;
      tokensUnavailable = true;
      return turnstileHeader();
    }
  }

  /** One POST with retries; resolves to the Response when ok. */
  async function post(path: string, body: unknown, request: RequestOptions, extra: Record<string, string>): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${options.key}`, ...extra };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (request.noCache) headers['Cache-Control'] = 'no-cache';
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await doFetch(base + path, { method: 'POST', headers, body: body === undefined ? null : JSON.stringify(body), ...(request.signal ? { signal: request.signal } : {}) });
      } catch (error) {
        if (request.signal?.aborted) throw error;
        throw new MinnowError(0, { code: 'network_error', message: `Could not reach minnow at ${base} (${error instanceof Error ? error.message : String(error)}); check the URL, and that this origin may call it` });
      }
      if (response.ok) return response;
      const error = await errorFromResponse(response);
      // 429 always says when to come back; a 503 without Retry-After (no provider configured,
      // a missing secret) will not get better by waiting.
      const wait = error.retryAfter ?? (response.status === 429 ? 1 : undefined);
      if ((response.status !== 429 && response.status !== 503) || wait === undefined || attempt >= maxRetries || wait > maxDelay) throw error;
      await sleep(wait * 1000, request.signal);
    }
  }

  async function send<T>(path: string, body: unknown, request: RequestOptions = {}, extra: Record<string, string> = {}): Promise<T> {
    return (await (await post(path, body, request, extra)).json()) as T;
  }

  async function call<T>(path: string, body: unknown, request: RequestOptions = {}): Promise<T> {
    try {
      return await send<T>(path, body, request, await visitorHeader(request.signal));
    } catch (error) {
      // A token the server no longer accepts (its secret rotated): get a new one, once.
      if (!(error instanceof MinnowError) || error.code !== 'invalid_visitor_token' || !options.visitorToken) throw error;
      visitor = undefined;
      return send<T>(path, body, request, await visitorHeader(request.signal));
    }
  }

  async function* chatStream(params: ChatParams, request: RequestOptions = {}): AsyncGenerator<ChatEvent> {
    const response = await post('/v1/chat', { ...params, stream: true }, request, { Accept: 'text/event-stream', ...(await visitorHeader(request.signal)) });
    if (!response.body) throw new MinnowError(response.status, { code: 'empty_stream', message: 'The chat stream had no body' });
    for await (const { event, data } of readEvents(response.body)) {
      const payload = JSON.parse(data) as Record<string, unknown>;
      if (event === 'error') throw new MinnowError(response.status === 200 ? 500 : response.status, (payload.error ?? {}) as Record<string, string>);
      if (event === 'done') {
        yield { type: 'done', response: payload as unknown as ChatResponse };
        return;
      }
      if (event === 'start' || event === 'delta' || event === 'handoff') yield { type: event, ...payload } as ChatEvent;
    }
    throw new MinnowError(0, { code: 'stream_interrupted', message: 'The chat stream ended before the answer was complete; send the message again' });
  }

  const tasks = Object.fromEntries(TASKS.map((task) => [task, (body: unknown, request?: RequestOptions) => call(`/v1/${task}`, body, request)])) as unknown as TaskMethods;
  return {
    ...tasks,
    search: (kb: string, params: SearchParams, request?: RequestOptions) => call<{ results: SearchResult[] }>(`/v1/kb/${encodeURIComponent(kb)}/search`, params, request),
    chat: (params: ChatParams, request?: RequestOptions) => call<ChatResponse>('/v1/chat', params, request),
    chatStream,
  };
}
