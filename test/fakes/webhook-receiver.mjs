// A webhook destination for the tests: a real HTTP server the Worker under test delivers to.
// Each test uses its own bucket: `POST /r/<bucket>` is a delivery. How a bucket answers is set with
// `PUT /__control/<bucket>` `{failures?, status?, retryAfter?, location?, hangMs?, secret?}`: the
// first `failures` deliveries get `status` (default 500; with `retryAfter`/`location` headers), then
// 200; `failures: -1` fails forever. With `secret` (the hook's whsec_ signing secret) every delivery
// is verified with the `standardwebhooks` library: an implementation independent of minnow's.
// `GET /__received/<bucket>` lists what arrived: headers, body, the status answered, `verified`.
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";
const controls = /* @__PURE__ */ new Map();
const received = /* @__PURE__ */ new Map();
async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}
function send(res, status, body, headers = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}
function verify(secret, body, headers) {
  if (!secret) return null;
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}
async function deliver(bucket, req, res) {
  const body = await readBody(req);
  const headers = Object.fromEntries(Object.entries(req.headers).map(([name, value]) => [name, String(value)]));
  const control = controls.get(bucket) ?? {};
  const list = received.get(bucket) ?? [];
  received.set(bucket, list);
  const failing = control.failures === -1 || list.length < (control.failures ?? 0);
  const status = failing ? control.status ?? 500 : 200;
  list.push({ headers, body, answered: status, verified: verify(control.secret, body, headers), at: Date.now() });
  if (failing && control.hangMs) await new Promise((resolve) => setTimeout(resolve, control.hangMs));
  const extra = {};
  if (failing && control.retryAfter) extra["retry-after"] = control.retryAfter;
  if (failing && control.location) extra.location = control.location;
  send(res, status, { ok: !failing }, extra);
}
async function handle(req, res) {
  const url = new URL(req.url ?? "/", "http://receiver");
  const [, area, bucket] = url.pathname.split("/");
  if (!bucket) return send(res, 404, { error: "no bucket" });
  if (area === "r" && req.method === "POST") return deliver(bucket, req, res);
  if (area === "__control" && req.method === "PUT") {
    controls.set(bucket, JSON.parse(await readBody(req)));
    return send(res, 200, { ok: true });
  }
  if (area === "__received" && req.method === "GET") return send(res, 200, { requests: received.get(bucket) ?? [] });
  return send(res, 404, { error: "unknown path" });
}
async function startWebhookReceiver() {
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => send(res, 400, { error: String(error) }));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.unref();
  const { port } = server.address();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    })
  };
}
export {
  startWebhookReceiver
};
