// `npm run example` (scripts/serve-example.mjs) points the example site at the server it is started
// against, and warns when that server is not there or refuses the key from the site's origin.
// A small stand-in plays minnow here: the real Worker behind the page is covered by jamstack.test.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = 'scripts/serve-example.mjs';
let minnow: http.Server;
let minnowBase: string;
/** Origins the stand-in's key allows (as a pattern: the site's port is known only once it runs). */
let allowedOrigins = /^$/;
const children: ChildProcess[] = [];

beforeAll(async () => {
  minnow = http.createServer((req, res) => {
    if (req.url === '/healthz') return res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok"}');
    const origin = String(req.headers.origin);
    if (req.url === '/v1/language' && allowedOrigins.test(origin)) return res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"results":[]}');
    res.writeHead(403, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { code: 'origin_not_allowed', message: `add "${origin}" to the key's origins` } }));
  });
  await new Promise<void>((resolve) => minnow.listen(0, '127.0.0.1', resolve));
  minnowBase = `http://127.0.0.1:${(minnow.address() as AddressInfo).port}`;
});

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGTERM');
});
afterAll(() => new Promise<void>((resolve) => minnow.close(() => resolve())));

/** Starts the script on a free port; resolves once it has served and finished its checks (or stays quiet). */
async function serveExample(args: string[], env: Record<string, string> = {}): Promise<{ site: string; output: () => string }> {
  const child = spawn(process.execPath, [SCRIPT, ...args], { env: { ...process.env, EXAMPLE_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 10_000;
  while (!/example site on (\S+)\//.test(output)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`serve-example did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { site: /example site on (\S+)\//.exec(output)![1]!, output: () => output };
}

async function configOf(site: string): Promise<string> {
  const response = await fetch(`${site}/config.js`);
  expect(response.status).toBe(200);
  return response.text();
}

describe('npm run example', () => {
  it('serves config.js with MINNOW_URL set from --base-url, the rest of the file as on disk, and stays quiet when the key works', async () => {
    allowedOrigins = /^http:\/\/localhost:\d+$/;
    const { site, output } = await serveExample(['--base-url', `${minnowBase}/ignored/path`]);
    const config = await configOf(site);
    expect(config).toContain(`export const MINNOW_URL = "${minnowBase}";`);
    expect(config).toContain("export const MINNOW_KEY = 'pk_demoLocalOnlyKeyForMinnow0000000';");
    expect(config).toContain("export const MINNOW_BOT = 'bot_demo_support';");
    expect(output()).toContain(`using minnow at ${minnowBase}`);
    await expect.poll(output).toContain(`checked: minnow answers at ${minnowBase}, and config.js's key works from ${site}`);
    expect(output()).not.toContain('warning');
  });

  it('follows PORT (as given to npm start) when there is no --base-url, and warns when nothing answers there', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = http.createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const { site, output } = await serveExample([], { PORT: String(closed) });
    expect(await configOf(site)).toContain(`export const MINNOW_URL = "http://localhost:${closed}";`);
    await expect.poll(output).toContain(`warning: minnow is not answering at http://localhost:${closed}`);
    expect(output()).toContain(`npm start (PORT=${closed})`);
  });

  it('warns, naming the error, when the server refuses the key from the site\'s origin', async () => {
    allowedOrigins = /^$/;
    const { site, output } = await serveExample([`--base-url=${minnowBase}`]);
    await expect.poll(output).toContain(`warning: minnow at ${minnowBase} refuses config.js's key from ${site}: 403 origin_not_allowed`);
  });

  it('refuses a --base-url that is not an http(s) URL', async () => {
    const child = spawn(process.execPath, [SCRIPT, '--base-url', 'localhost:8787'], { env: { ...process.env, EXAMPLE_PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(output).toContain('--base-url must be http(s)');
  });
});
