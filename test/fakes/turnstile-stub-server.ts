// A local stand-in for Cloudflare Turnstile's siteverify endpoint: `POST /siteverify` with a form
// (`secret`, `response`, `remoteip`), answering `{ success, "error-codes" }` like the real one.
// A response token starting with "pass" passes, anything else fails with invalid-input-response.
// `GET /__calls?response=…` reports what minnow sent for that token (to check the secret it used).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const calls: { secret: string; response: string; remoteip: string | null }[] = [];

export async function startTurnstileStub(): Promise<{ siteverifyUrl: string }> {
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/__calls') {
      return reply(200, { calls: calls.filter((call) => call.response === url.searchParams.get('response')) });
    }
    if (req.method !== 'POST' || url.pathname !== '/siteverify') return reply(404, { success: false, 'error-codes': ['not-found'] });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    // Multipart (what fetch sends for FormData) or urlencoded, as siteverify accepts both.
    const form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': String(req.headers['content-type']) } }).formData();
    const call = { secret: String(form.get('secret') ?? ''), response: String(form.get('response') ?? ''), remoteip: form.get('remoteip') as string | null };
    calls.push(call);
    if (!call.secret) return reply(200, { success: false, 'error-codes': ['missing-input-secret'] });
    if (!call.response.startsWith('pass')) return reply(200, { success: false, 'error-codes': ['invalid-input-response'] });
    return reply(200, { success: true, challenge_ts: new Date().toISOString(), hostname: 'example.com', 'error-codes': [] });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return { siteverifyUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/siteverify` };
}
