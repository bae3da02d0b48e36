// Runs the real Worker locally for scripts that measure it (bench, eval): `wrangler dev --local`
// on a free port with fresh state, Workers AI off, the admin API open with the dev token. The
// server leads its own process group so stopping it also ends workerd and esbuild.
import { spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

const WRANGLER = 'node_modules/.bin/wrangler';
export const ADMIN = { Authorization: 'Bearer dev-admin-token' };

const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = net.createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

/**
 * HTTP/1.1 requests over at most `maxSockets` keep-alive connections; each resolves once the whole
 * body is read, so a timing of it covers the full response.
 */
export function keepAliveClient(maxSockets) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  function request(origin, method, path, headers = {}, body) {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const sizing = payload ? { 'Content-Type': 'application/json', 'Content-Length': payload.length } : {};
      const req = http.request({ ...origin, method, path, agent, headers: { ...headers, ...sizing } }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(payload);
    });
  }
  return { request, close: () => agent.destroy() };
}

/**
 * Starts the server; resolves once `/healthz` answers. `request` uses one keep-alive socket, so
 * every request pays the same (zero, after the first) connection cost.
 */
export async function startLocalServer({ stateDir, vars = {}, config, readyPath = '/healthz' }) {
  // No download of a sample `request.cf` object (a stack trace offline; the Worker does not read it).
  const env = { CLOUDFLARE_CF_FETCH_ENABLED: 'false', ...process.env, WRANGLER_SEND_METRICS: 'false' };
  rmSync(stateDir, { recursive: true, force: true });
  // `config`: another Worker (a benchmark's baseline) with its own wrangler.toml and no D1.
  const configArgs = config ? ['--config', config] : [];
  if (!config) {
    const migrate = spawnSync(WRANGLER, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stateDir], { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);
  }

  const port = await freePort();
  const varArgs = Object.entries({ WORKERS_AI: 'off', ENVIRONMENT: 'development', ...vars }).flatMap(([name, value]) => ['--var', `${name}:${value}`]);
  // Its own inspector port too: two servers at once (bench: minnow and the bare Worker) cannot share 9229.
  const inspectorPort = await freePort();
  const server = spawn(WRANGLER, ['dev', ...configArgs, '--local', '--port', String(port), '--inspector-port', String(inspectorPort), '--ip', '127.0.0.1', '--show-interactive-dev-session=false', '--persist-to', stateDir, ...varArgs], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = [];
  // Drain both pipes (wrangler logs every request; a full pipe would stall the server).
  for (const stream of [server.stdout, server.stderr]) {
    stream.on('data', (chunk) => {
      log.push(...String(chunk).split('\n'));
      log.splice(0, log.length - 40);
    });
  }
  const killGroup = (signal) => {
    try {
      process.kill(-server.pid, signal);
    } catch {
      // already gone
    }
  };
  const groupAlive = () => {
    try {
      process.kill(-server.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  process.on('exit', () => killGroup('SIGKILL'));

  const { request: send, close } = keepAliveClient(1);
  const request = (method, path, headers, body) => send({ host: '127.0.0.1', port }, method, path, headers, body);

  async function json(method, path, headers, body, expected = 200) {
    const res = await request(method, path, headers, body);
    if (res.status !== expected) throw new Error(`${method} ${path}: expected ${expected}, got ${res.status}: ${res.text}`);
    return JSON.parse(res.text);
  }

  async function stop() {
    close();
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      killGroup('SIGTERM'); // lets wrangler clean up its temp files
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    }
    killGroup('SIGKILL');
    for (let i = 0; i < 30 && groupAlive(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`wrangler dev exited (${server.exitCode}):\n${log.join('\n')}`);
    try {
      if ((await request('GET', readyPath)).status === 200) return { port, inspectorPort, pid: server.pid, request, json, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop();
  throw new Error(`wrangler dev did not answer ${readyPath} within 120 s:\n${log.join('\n')}`);
}

/** A tenant with room for any workload and one secret key. */
export async function createTenant(server, name, taskConfigs = {}) {
  const tenant = await server.json('POST', '/admin/tenants', ADMIN, { name, limits: { rpm: 1_000_000, burst: 1_000_000, daily_budget_usd: 1000 } }, 201);
  for (const [task, config] of Object.entries(taskConfigs)) await server.json('PUT', `/admin/tenants/${tenant.id}/tasks/${task}`, ADMIN, config);
  const { key } = await server.json('POST', `/admin/tenants/${tenant.id}/keys`, ADMIN, { kind: 'secret' }, 201);
  return { id: tenant.id, key, auth: { Authorization: `Bearer ${key}` } };
}
