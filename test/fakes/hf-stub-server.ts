// A local HTTP server that speaks the Hugging Face Inference wire format (reference/UPSTREAMS.md
// §2): `POST <endpoint>` with `{inputs, parameters}`, JSON answers with Content-Type
// application/json, and HF's error bodies. Tasks live in ./hf-tasks; a model is served at
// `/models/<model id>`, a dedicated endpoint at `/endpoints/<task>/<name>`.
// A test asks for a fault with a directive anywhere in the body: [[hf:503]] (model loading, with
// estimated_time), [[hf:429]], [[hf:500]], [[hf:401]], [[hf:hang]], [[hf:malformed]],
// [[hf:wrong-shape]]; for the fault matrix (test/faults): [[hf:loading]] (HF's model-loading 503
// with `estimated_time: 20.0`), [[hf:429-retry-after]] (429 with `Retry-After: 7`), [[hf:502-html]]
// (a proxy's HTML error page), [[hf:504]], [[hf:late]] (the right answer after 1.5 s, past the
// tests' 1 s timeout), [[hf:slow]] (the right answer after 400 ms, inside the timeout), [[hf:missing-field]] (the normal answer without its `score`/`scores` fields),
// [[hf:empty]] (`[]`), [[hf:text-plain]] (a JSON body labelled text/plain); chat streams:
// [[hf:stream-break]] (hf-tasks/chat.ts), [[hf:stream-stall]] (three events, then silence),
// [[hf:stream-drip]] (250 ms between events), [[hf:stream-garbage]] (three events, then one that is not JSON),
// [[hf:stream-cut]] (hf-tasks/chat.ts: three events, then the end without `[DONE]`); [[hf:402]] (credits
// exhausted), [[hf:openai-error]] (400 with `{"error": {"message", …}}`). Per task (in ./hf-tasks):
// [[hf:flat]], [[hf:nested]], [[hf:new-shape]], [[hf:listed-legacy]], [[hf:object]], [[hf:array]],
// [[hf:utf16-offsets]], [[hf:null-offsets]], [[hf:leading-space]], [[hf:no-aggregation]]; the
// full table is in docs/testing.md. `GET /__calls?text=…` reports the calls whose body contained a text: how
// many, the paths they went to and the tokens they bore.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HANDLERS } from './hf-tasks/index';
import type { HfReply } from './hf-tasks/types';
import { directive } from './sentiment-lexicon.mjs';

const calls: { body: string; path: string; token: string }[] = [];

function send(res: ServerResponse, status: number, body: unknown, raw = false, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'x-request-id': `hf-${Date.now()}`, ...headers });
  res.end(raw ? String(body) : JSON.stringify(body));
}

const STALL_AFTER = 3;

/**
 * Server-Sent Events (chat streaming): one `data:` event per entry, a few ms apart, then the end.
 * [[hf:stream-drip]] spaces them 250 ms apart; [[hf:stream-stall]] goes silent after three.
 */
async function sendEvents(res: ServerResponse, events: string[], fault: string | undefined): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', 'x-request-id': `hf-${Date.now()}` });
  const sent = fault === 'stream-stall' ? events.slice(0, STALL_AFTER + 1) : fault === 'stream-garbage' ? [...events.slice(0, STALL_AFTER + 1), '{"choices": [{"delta": {"content": "unfinish'] : events;
  for (const event of sent) {
    if (res.destroyed) return;
    res.write(`data: ${event}\n\n`);
    await new Promise((resolve) => setTimeout(resolve, fault === 'stream-drip' ? 250 : 5));
  }
  if (fault === 'stream-stall') return; // holds the connection open; the caller's idle timeout must end it
  res.end();
}

/** Every `score`/`scores` field removed, at any depth: a body that has the right outline but not the data. */
function withoutScores(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutScores);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([name]) => name !== 'score' && name !== 'scores').map(([name, entry]) => [name, withoutScores(entry)]));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const PIPELINES: Record<string, string> = { 'feature-extraction': 'embed', 'sentence-similarity': 'similarity' };

function handlerFor(path: string) {
  // Chat completion lives at the router's OpenAI-compatible `/v1/chat/completions` (model in the
  // body) and at a TGI/vLLM endpoint's `<endpoint>/v1/chat/completions`. hf-inference serves no
  // chat models (UPSTREAMS.md §2.6): `/models/<model>/v1/chat/completions` is answered 404 below.
  if (path === '/v1/chat/completions' || /^\/endpoints\/chat\/[\w-]+\/v1\/chat\/completions$/.test(path)) return HANDLERS.find((handler) => handler.task === 'chat');
  if (path.endsWith('/v1/chat/completions')) return undefined;
  // The serverless pipeline routes (UPSTREAMS.md §2.1): `/models/<id>/pipeline/<pipeline>` runs that
  // pipeline whatever the model's hub task; `/models/<id>` runs the model's own (default) pipeline.
  const pipeline = /^\/models\/(.+)\/pipeline\/([\w-]+)$/.exec(path);
  if (pipeline) return HANDLERS.find((handler) => handler.task === PIPELINES[pipeline[2]!]);
  const endpoint = /^\/endpoints\/([\w-]+)\//.exec(path);
  if (endpoint) return HANDLERS.find((handler) => handler.task === endpoint[1]);
  const model = path.replace(/^\/models\//, '');
  return HANDLERS.find((handler) => handler.models.includes(model));
}

function report(res: ServerResponse, text: string): void {
  const needle = JSON.stringify(text).slice(1, -1);
  const matching = calls.filter((call) => call.body.includes(needle));
  send(res, 200, { calls: matching.length, paths: matching.map((call) => call.path), tokens: matching.map((call) => call.token) });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stub');
  if (req.method === 'GET' && url.pathname === '/__calls') return report(res, url.searchParams.get('text') ?? '');
  if (req.method !== 'POST') return send(res, 405, { error: 'Method not allowed' });
  if (!req.headers.authorization?.startsWith('Bearer ')) return send(res, 401, { error: 'Invalid credentials in Authorization header' });
  if (!req.headers['content-type']?.startsWith('application/json')) return send(res, 400, { error: 'Content-Type must be application/json' });

  const raw = await readBody(req);
  calls.push({ body: raw, path: url.pathname, token: req.headers.authorization.slice('Bearer '.length) });
  const fault = directive(raw, 'hf');
  switch (fault) {
    case 'hang': return; // never answers; the caller's timeout must end it
    case '503': return send(res, 503, { error: `Model ${url.pathname.slice(1)} is currently loading`, estimated_time: 2.5 });
    case 'loading': return send(res, 503, { error: `Model ${url.pathname.replace(/^\/models\//, '')} is currently loading`, estimated_time: 20.0 });
    case '429': return send(res, 429, { error: 'Rate limit reached. Please retry later.' });
    case '429-retry-after': return send(res, 429, { error: 'Rate limit reached. Please retry later.' }, false, { 'Retry-After': '7' });
    // HF's credits-exhausted answer (UPSTREAMS.md §2.5).
    case '402': return send(res, 402, { error: 'You have exceeded your monthly included credits for Inference Providers. Subscribe to PRO to get 20x more monthly included credits.' });
    // An OpenAI-style error body, as vLLM and the router send: `{"error": {"message", "type"}}`.
    case 'openai-error': return send(res, 400, { error: { message: 'Input validation error: inputs too long', type: 'invalid_request_error', param: null, code: 400 } });
    case '500': return send(res, 500, { error: 'Internal server error' });
    case '502-html': return send(res, 502, '<html><body><h1>502 Bad Gateway</h1></body></html>', true, { 'Content-Type': 'text/html' });
    case '504': return send(res, 504, { error: 'Gateway timeout' });
    case '401': return send(res, 401, { error: 'Invalid credentials in Authorization header' });
    case 'malformed': return send(res, 200, '[[{"label": "POSITIVE", "sco', true);
    case 'wrong-shape': return send(res, 200, { unexpected: 'shape' });
    case 'empty': return send(res, 200, []);
    case 'late': await new Promise((resolve) => setTimeout(resolve, 1_500)); break;
    case 'slow': await new Promise((resolve) => setTimeout(resolve, 400)); break;
  }
  const handler = handlerFor(url.pathname);
  if (!handler) return send(res, 404, { error: `Model ${url.pathname} does not exist` });
  const reply: HfReply & { sse?: string[] } = handler.handle({ ...(JSON.parse(raw || 'null') ?? {}), __path: url.pathname });
  if (reply.sse) return sendEvents(res, reply.sse, fault);
  if (res.destroyed) return;
  if (fault === 'missing-field') return send(res, reply.status, withoutScores(reply.body));
  if (fault === 'text-plain') return send(res, reply.status, JSON.stringify(reply.body), true, { 'Content-Type': 'text/plain' });
  if (reply.contentType) return send(res, reply.status, reply.body, true, { 'Content-Type': reply.contentType });
  return send(res, reply.status, reply.body);
}

export interface HfStub {
  baseUrl: string;
  close(): Promise<void>;
}

export async function startHfStub(): Promise<HfStub> {
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 400, { error: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Lives as long as the test run; must not be what keeps the process alive after it.
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/models`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
