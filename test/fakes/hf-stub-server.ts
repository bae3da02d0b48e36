// A local HTTP server that speaks the Hugging Face Inference wire format (reference/UPSTREAMS.md
// §2): `POST <endpoint>` with `{inputs, parameters}`, JSON answers with Content-Type
// application/json, and HF's error bodies. A test asks for a fault with a directive in the input
// text: [[hf:flat]] (flat instead of nested classification list), [[hf:503]] (model loading, with
// estimated_time), [[hf:429]], [[hf:500]], [[hf:401]], [[hf:hang]], [[hf:malformed]],
// [[hf:wrong-shape]]. `GET /__calls?text=…` counts the calls that carried a text, the paths they went to and the tokens they bore.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { directive, positiveProbability } from './sentiment-lexicon.mjs';

const callsByText = new Map<string, number>();
const pathsByText = new Map<string, string[]>();
const tokensByText = new Map<string, string[]>();

function send(res: ServerResponse, status: number, body: unknown, raw = false): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'x-request-id': `hf-${Date.now()}` });
  res.end(raw ? String(body) : JSON.stringify(body));
}

function classification(text: string) {
  const positive = positiveProbability(text);
  return [
    { label: 'POSITIVE', score: positive },
    { label: 'NEGATIVE', score: Math.round((1 - positive) * 10_000) / 10_000 },
  ].sort((a, b) => b.score - a.score);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stub');
  if (req.method === 'GET' && url.pathname === '/__calls') {
    const text = url.searchParams.get('text') ?? '';
    return send(res, 200, { calls: callsByText.get(text) ?? 0, paths: pathsByText.get(text) ?? [], tokens: tokensByText.get(text) ?? [] });
  }
  if (req.method !== 'POST') return send(res, 405, { error: 'Method not allowed' });
  if (!req.headers.authorization?.startsWith('Bearer ')) return send(res, 401, { error: 'Invalid credentials in Authorization header' });
  if (!req.headers['content-type']?.startsWith('application/json')) return send(res, 400, { error: 'Content-Type must be application/json' });

  const body = (await readJson(req)) as { inputs?: unknown; parameters?: Record<string, unknown> } | null;
  if (typeof body?.inputs !== 'string') return send(res, 400, { error: 'inputs must be a string' });
  const text = body.inputs;
  callsByText.set(text, (callsByText.get(text) ?? 0) + 1);
  pathsByText.set(text, [...(pathsByText.get(text) ?? []), url.pathname]);
  tokensByText.set(text, [...(tokensByText.get(text) ?? []), req.headers.authorization.slice('Bearer '.length)]);

  switch (directive(text, 'hf')) {
    case 'hang': return; // never answers; the caller's timeout must end it
    case '503': return send(res, 503, { error: `Model ${url.pathname.slice(1)} is currently loading`, estimated_time: 2.5 });
    case '429': return send(res, 429, { error: 'Rate limit reached. Please retry later.' });
    case '500': return send(res, 500, { error: 'Internal server error' });
    case '401': return send(res, 401, { error: 'Invalid credentials in Authorization header' });
    case 'malformed': return send(res, 200, '[[{"label": "POSITIVE", "sco', true);
    case 'wrong-shape': return send(res, 200, { sequence: text, unexpected: true });
    case 'flat': return send(res, 200, classification(text));
    default: return send(res, 200, [classification(text)]);
  }
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
