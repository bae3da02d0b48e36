// The browser SDK's own logic (retries, errors, streaming), run in Node against a scripted fetch.
import { describe, expect, it } from 'vitest';
import { createClient, MinnowError } from '../../src/web/sdk/index';

type Reply = { status: number; body?: unknown; headers?: Record<string, string>; stream?: string[] };

function scripted(replies: Reply[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    const reply = replies.shift();
    if (!reply) throw new TypeError('Failed to fetch');
    if (reply.stream) {
      const encoder = new TextEncoder();
      const chunks = reply.stream;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(encoder.encode(next));
        },
      });
      return new Response(body, { status: reply.status, headers: { 'content-type': 'text/event-stream', ...reply.headers } });
    }
    return new Response(JSON.stringify(reply.body ?? {}), { status: reply.status, headers: { 'content-type': 'application/json', ...reply.headers } });
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

const error = (code: string, message = code) => ({ error: { type: 'rate_limit_error', code, message, request_id: 'req-1' } });
const envelope = { id: 'x', task: 'sentiment', model: 'm', provider: 'local', results: [{ label: 'positive', score: 0.9 }], cached: false, usage: { items: 1, cached_items: 0, units: 3, cost_usd: 0 } };

describe('browser SDK', () => {
  it('posts the body with the key to /v1/<task> and resolves to the envelope', async () => {
    const { calls, fetch } = scripted([{ status: 200, body: envelope }]);
    const client = createClient({ key: 'pk_test', baseUrl: 'https://minnow.example/', fetch });
    expect(await client.sentiment({ text: 'hi' })).toEqual(envelope);
    expect(calls[0]!.url).toBe('https://minnow.example/v1/sentiment');
    const headers = calls[0]!.init.headers as Record<string, string>;
    expect(headers.Authorization).toBe('Bearer pk_test');
    expect(headers['Content-Type']).toBe('application/json');
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ text: 'hi' });
  });

  it('rejects with a MinnowError carrying status, code, param and request id', async () => {
    const { fetch } = scripted([{ status: 400, body: { error: { type: 'invalid_request_error', code: 'missing_field', message: 'text is required', param: 'text', request_id: 'req-9' } } }]);
    const failure = await createClient({ key: 'pk', baseUrl: 'https://m', fetch }).sentiment({ text: '' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MinnowError);
    expect(failure).toMatchObject({ status: 400, code: 'missing_field', param: 'text', requestId: 'req-9', message: 'text is required' });
  });

  it('retries a 429 and a 503 after their Retry-After, then succeeds', async () => {
    const { calls, fetch } = scripted([
      { status: 429, body: error('rate_limited'), headers: { 'retry-after': '0' } },
      { status: 503, body: error('upstream_overloaded'), headers: { 'retry-after': '0' } },
      { status: 200, body: envelope },
    ]);
    expect(await createClient({ key: 'pk', baseUrl: 'https://m', fetch }).sentiment({ text: 'x' })).toEqual(envelope);
    expect(calls).toHaveLength(3);
  });

  it('gives up after maxRetries, and at once when the wait is longer than allowed', async () => {
    const tooMany = scripted(Array.from({ length: 5 }, () => ({ status: 429, body: error('rate_limited'), headers: { 'retry-after': '0' } })));
    await expect(createClient({ key: 'pk', baseUrl: 'https://m', fetch: tooMany.fetch, maxRetries: 2 }).sentiment({ text: 'x' })).rejects.toMatchObject({ code: 'rate_limited', retryAfter: 0 });
    expect(tooMany.calls).toHaveLength(3);
    const longWait = scripted([{ status: 429, body: error('rate_limited'), headers: { 'retry-after': '60' } }]);
    await expect(createClient({ key: 'pk', baseUrl: 'https://m', fetch: longWait.fetch }).sentiment({ text: 'x' })).rejects.toMatchObject({ status: 429, retryAfter: 60 });
    expect(longWait.calls).toHaveLength(1);
  });

  it('does not retry a 503 that does not say when to come back', async () => {
    const { calls, fetch } = scripted([{ status: 503, body: error('no_provider_available') }]);
    await expect(createClient({ key: 'pk', baseUrl: 'https://m', fetch }).translate({ text: 'x', target: 'fr' })).rejects.toMatchObject({ status: 503, code: 'no_provider_available' });
    expect(calls).toHaveLength(1);
  });

  it('does not retry other errors (403, 402)', async () => {
    const { calls, fetch } = scripted([{ status: 403, body: error('origin_not_allowed') }]);
    await expect(createClient({ key: 'pk', baseUrl: 'https://m', fetch }).sentiment({ text: 'x' })).rejects.toMatchObject({ status: 403, code: 'origin_not_allowed' });
    expect(calls).toHaveLength(1);
  });

  it('reports an unreachable server as a network_error', async () => {
    const { fetch } = scripted([]);
    await expect(createClient({ key: 'pk', baseUrl: 'https://m', fetch }).sentiment({ text: 'x' })).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('searches a knowledge base and chats at the documented routes', async () => {
    const { calls, fetch } = scripted([{ status: 200, body: { results: [] } }, { status: 200, body: { id: 'c' } }]);
    const client = createClient({ key: 'pk', baseUrl: 'https://m', fetch });
    await client.search('help centre', { query: 'refunds', top_k: 3 });
    await client.chat({ bot: 'support', message: 'hi' });
    expect(calls.map((call) => call.url)).toEqual(['https://m/v1/kb/help%20centre/search', 'https://m/v1/chat']);
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ query: 'refunds', top_k: 3 });
  });

  it('streams a chat answer event by event, across chunk boundaries', async () => {
    const done = { id: 'r', conversation_id: 'conv_1', bot: 'support', message: { role: 'assistant', content: 'Refunds take 5 days [1].' }, citations: [{ index: 1, document_id: 'd', title: 'Refunds', text: '…' }], mode: 'generated', model: 'm', provider: 'p', usage: { cost_usd: 0 } };
    const { calls, fetch } = scripted([
      {
        status: 200,
        stream: [
          'event: start\ndata: {"conversation_id":"conv_1","citations":[{"index":1,"document_id":"d","title":"Refunds","text":"…"}]}\n\n',
          'event: delta\ndata: {"content":"Refunds take "}\n\nevent: del',
          'ta\ndata: {"content":"5 days [1]."}\n\n: keep-alive\n\n',
          'event: handoff\ndata: {"reason":"refund_request","message":"A person will follow up."}\n\n',
          `event: done\ndata: ${JSON.stringify(done)}\n\n`,
        ],
      },
    ]);
    const events = [];
    for await (const event of createClient({ key: 'pk', baseUrl: 'https://m', fetch }).chatStream({ bot: 'support', message: 'refund?' })) events.push(event);
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ bot: 'support', message: 'refund?', stream: true });
    expect(events.map((event) => event.type)).toEqual(['start', 'delta', 'delta', 'handoff', 'done']);
    expect(events.filter((event) => event.type === 'delta').map((event) => (event as { content: string }).content).join('')).toBe('Refunds take 5 days [1].');
    expect(events[3]).toEqual({ type: 'handoff', reason: 'refund_request', message: 'A person will follow up.' });
    expect(events[4]).toEqual({ type: 'done', response: done });
  });

  it('throws a stream error event as a MinnowError', async () => {
    const { fetch } = scripted([{ status: 200, stream: ['event: start\ndata: {"conversation_id":"c","citations":[]}\n\n', 'event: error\ndata: {"error":{"type":"upstream_error","code":"upstream_timeout","message":"too slow","request_id":"req-5"}}\n\n'] }]);
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const event of createClient({ key: 'pk', baseUrl: 'https://m', fetch }).chatStream({ bot: 'b', message: 'm' })) seen.push(event.type);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['start']);
    expect(failure).toMatchObject({ code: 'upstream_timeout', requestId: 'req-5' });
  });

  it('fails a chat stream that ends before its done event', async () => {
    const { fetch } = scripted([{ status: 200, stream: ['event: start\ndata: {"conversation_id":"c","citations":[]}\n\n', 'event: delta\ndata: {"content":"Half an ans"}\n\n'] }]);
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const event of createClient({ key: 'pk', baseUrl: 'https://m', fetch }).chatStream({ bot: 'b', message: 'm' })) seen.push(event.type);
    })().catch((e: unknown) => e);
    expect(seen).toEqual(['start', 'delta']);
    expect(failure).toMatchObject({ status: 0, code: 'stream_interrupted' });
  });

  it('replaces a visitor token the server no longer accepts, once', async () => {
    const { calls, fetch } = scripted([
      { status: 200, body: { token: 'old', expires_in: 3600 } },
      { status: 401, body: { error: { type: 'authentication_error', code: 'invalid_visitor_token', message: 'not genuine', request_id: 'r' } } },
      { status: 200, body: { token: 'new', expires_in: 3600 } },
      { status: 200, body: envelope },
    ]);
    expect(await createClient({ key: 'pk', baseUrl: 'https://m', fetch, visitorToken: true }).sentiment({ text: 'a' })).toEqual(envelope);
    expect(calls.map((call) => (call.init.headers as Record<string, string>)['x-minnow-visitor'] ?? '-')).toEqual(['-', 'old', '-', 'new']);
  });

  it('carries on without visitor tokens where the server has none', async () => {
    const unavailable = { error: { type: 'upstream_error', code: 'visitor_tokens_unavailable', message: 'no secret', request_id: 'r' } };
    const { calls, fetch } = scripted([{ status: 503, body: unavailable }, { status: 200, body: envelope }, { status: 200, body: envelope }]);
    const client = createClient({ key: 'pk', baseUrl: 'https://m', fetch, visitorToken: true });
    await client.sentiment({ text: 'a' });
    await client.sentiment({ text: 'b' });
    expect(calls.map((call) => call.url)).toEqual(['https://m/v1/visitor-token', 'https://m/v1/sentiment', 'https://m/v1/sentiment']);
    expect((calls[1]!.init.headers as Record<string, string>)['x-minnow-visitor']).toBeUndefined();
  });

  it('gets a visitor token once and sends it with each request', async () => {
    const { calls, fetch } = scripted([{ status: 200, body: { token: 'v1.tok', expires_in: 3600 } }, { status: 200, body: envelope }, { status: 200, body: envelope }]);
    const client = createClient({ key: 'pk', baseUrl: 'https://m', fetch, visitorToken: true, turnstile: () => 'pass-token' });
    await client.sentiment({ text: 'a' });
    await client.sentiment({ text: 'b' });
    expect(calls.map((call) => call.url)).toEqual(['https://m/v1/visitor-token', 'https://m/v1/sentiment', 'https://m/v1/sentiment']);
    expect((calls[0]!.init.headers as Record<string, string>)['cf-turnstile-response']).toBe('pass-token');
    for (const call of calls.slice(1)) expect((call.init.headers as Record<string, string>)['x-minnow-visitor']).toBe('v1.tok');
  });
});
