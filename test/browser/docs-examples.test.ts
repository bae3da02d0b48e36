// Every shell example in README.md and docs/ runs as printed against `npm start`, so none can drift:
// the rules for the blocks are in ./support/doc-examples.ts. (In the browser project because it runs
// in Node and starts the real Worker; it opens no browser.)
//
// How each example runs: `sh -eu -c <the block>` — unset variables and failing commands fail it —
// with nothing but /usr/bin and /bin on PATH, in an empty directory, with no variable of the test's
// environment. Ahead on PATH is a `curl` that runs the real one with two changes: localhost:8787
// becomes the port this test's `npm start` listens on, and `--fail-with-body`, so an HTTP error
// fails the example. `npm start` runs as a user runs it, on a fresh state directory (PERSIST_TO)
// and without Cloudflare credentials.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExamples, patternOf } from './support/doc-examples';

const STATE_DIR = resolve('.wrangler/docs-examples-test-state');
const { examples, problems } = findExamples();

let server: ChildProcess | undefined;
let serverLog = '';
let port = 0;
let sandbox: string;

const freePort = () =>
  new Promise<number>((done, fail) => {
    const probe = net.createServer().once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as net.AddressInfo;
      probe.close(() => done(free));
    });
  });

function stopServer(signal: NodeJS.Signals): void {
  try {
    if (server?.pid) process.kill(-server.pid, signal);
  } catch {
    // already gone
  }
}

function run(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('sh', ['-eu', '-c', script], { cwd: join(sandbox, 'cwd'), env: { PATH: `${join(sandbox, 'bin')}:/usr/bin:/bin`, HOME: join(sandbox, 'cwd') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  sandbox = mkdtempSync(join(tmpdir(), 'minnow-doc-examples-'));
  port = await freePort();
  for (const dir of ['bin', 'cwd']) mkdirSync(join(sandbox, dir));
  const curl = join(sandbox, 'bin', 'curl');
  const realCurl = spawnSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).stdout.trim();
  if (!realCurl) throw new Error('the docs examples need curl on PATH');
  // A shell script (so no Node module-type rules apply) that hands its arguments to a CommonJS file.
  writeFileSync(
    `${curl}.cjs`,
    `// The docs-examples test's curl: the real one, on this test's server, failing on HTTP errors.
const { spawnSync } = require('node:child_process');
const args = process.argv.slice(2).map((arg) => arg.replaceAll('localhost:8787', 'localhost:${port}'));
const result = spawnSync(${JSON.stringify(realCurl)}, ['--fail-with-body', '--write-out', '%{stderr}curl: HTTP %{http_code} %{method} %{url_effective}\\n', ...args], { stdio: 'inherit' });
process.exit(result.status ?? 1);
`,
  );
  writeFileSync(curl, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(`${curl}.cjs`)} "$@"\n`);
  chmodSync(curl, 0o755);

  rmSync(STATE_DIR, { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), PERSIST_TO: STATE_DIR };
  delete env.CLOUDFLARE_API_TOKEN;
  delete env.CLOUDFLARE_ACCOUNT_ID;
  server = spawn('npm', ['start'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  // Drain both pipes for the whole run: a full pipe would stall the server.
  server.stdout!.on('data', (chunk) => (serverLog += chunk));
  server.stderr!.on('data', (chunk) => (serverLog += chunk));
  const deadline = Date.now() + 170_000;
  while (!serverLog.includes('minnow is up.')) {
    if (server.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not come up:\n${serverLog.slice(-4000)}`);
    await new Promise((done) => setTimeout(done, 200));
  }
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((done) => server!.once('exit', done));
    stopServer('SIGTERM');
    await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))]);
  }
  stopServer('SIGKILL');
  if (sandbox) rmSync(sandbox, { recursive: true, force: true });
});

describe('the shell examples in README.md and docs/', () => {
  it('each runs against npm start, or says why it does not', () => {
    expect(problems).toEqual([]);
    expect(examples.filter((example) => !example.notRun).length).toBeGreaterThanOrEqual(5);
  });

  it("npm start prints README's curl line", () => {
    const readme = readFileSync('README.md', 'utf8');
    const shown = /prints a curl line:\s*```sh\n([\s\S]*?)```/.exec(readme)![1]!.replace(/\\\n\s*/g, '').trim();
    expect(serverLog).toContain(shown.replace('localhost:8787', `localhost:${port}`));
  });

  for (const example of examples) {
    if (example.notRun) {
      it.skip(`${example.where} is not run: ${example.notRun}`, () => {});
      continue;
    }
    it(`${example.where} runs as printed${example.output === undefined ? '' : ', and prints the output shown'}`, async () => {
      const { code, stdout, stderr } = await run(example.script);
      expect(code, `exit ${code}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`).toBe(0);
      if (example.output !== undefined) expect(JSON.parse(stdout)).toEqual(patternOf(example.output, (pattern) => expect.stringMatching(pattern)));
    });
  }
});
