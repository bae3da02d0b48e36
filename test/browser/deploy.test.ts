// `npm run deploy` (scripts/deploy.mjs) against a stand-in `wrangler` first on PATH
// (test/fakes/wrangler-stand-in), which keeps a pretend Cloudflare account in a JSON file and
// answers like wrangler 4.86: every resource is created once and in order, and a second run
// creates nothing and changes no secret.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const STAND_IN = new URL('../fakes/wrangler-stand-in/', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'minnow-deploy-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Account {
  calls: string[][];
  authenticated: boolean;
  queues: string[];
  databases: { uuid: string; name: string; applied: string[] }[];
  kv: { id: string; title: string }[];
  worker: { bindings: Record<string, { type: string; id: string }>; secrets: Record<string, string>; deploys: number } | null;
}

const QUEUES = ['minnow-usage', 'minnow-jobs', 'minnow-ingest', 'minnow-usage-dlq', 'minnow-jobs-dlq', 'minnow-ingest-dlq'];

function deploy(stateFile: string, extraEnv: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // No HF_TOKEN from the machine: a test that wants one passes it.
    const { HF_TOKEN: _machine, ...inherited } = process.env;
    const env = { ...inherited, PATH: [STAND_IN, process.env.PATH].join(delimiter), WRANGLER_STAND_IN_STATE: stateFile, ...extraEnv };
    const child = spawn(process.execPath, ['scripts/deploy.mjs'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

const account = (stateFile: string): Account => JSON.parse(readFileSync(stateFile, 'utf8'));
/** A call as words, without the generated config's and secrets file's paths. */
const words = (call: string[]) => call.filter((arg) => !arg.startsWith('/')).join(' ');

describe('npm run deploy', () => {
  it('creates every missing resource in order, migrates before deploying, generates the secrets, and prints the first-tenant commands', async () => {
    const state = join(work, 'fresh.json');
    const { code, output } = await deploy(state);
    expect(code, output).toBe(0);
    const after = account(state);
    expect(after.calls.map(words)).toEqual([
      'whoami',
      ...QUEUES.flatMap((queue) => [`queues info ${queue}`, `queues create ${queue}`]),
      'd1 list --json',
      'd1 create minnow',
      'd1 list --json',
      'd1 migrations apply DB --remote --config',
      'secret list --config',
      'deploy --config --secrets-file',
    ]);
    expect(after.queues.sort()).toEqual([...QUEUES].sort());
    expect(after.databases).toHaveLength(1);
    expect(after.databases[0]!.applied).toContain('0001_tenancy.sql');
    // KV came from wrangler's own provisioning, and the deployed Worker is bound to it and to the D1 database.
    expect(after.kv).toEqual([{ id: expect.any(String), title: 'minnow-cache' }]);
    expect(after.worker!.bindings).toMatchObject({ CACHE: { type: 'kv_namespace', id: after.kv[0]!.id }, DB: { type: 'd1', id: after.databases[0]!.uuid } });
    const secrets = after.worker!.secrets;
    expect(Object.keys(secrets).sort()).toEqual(['ADMIN_TOKEN', 'SECRETS_KEY', 'VISITOR_TOKEN_SECRET']);
    expect(Buffer.from(secrets.SECRETS_KEY!, 'base64')).toHaveLength(32);
    expect(secrets.ADMIN_TOKEN).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The generated admin token is shown once, inside the commands that make the first tenant.
    expect(output).toContain(`ADMIN_TOKEN='${secrets.ADMIN_TOKEN}'`);
    expect(output).toContain('URL=https://minnow.dev-account.workers.dev');
    expect(output).toMatch(/TENANT=\$\(curl -s \$URL\/admin\/tenants .*\n\s+curl -s \$URL\/admin\/tenants\/\$TENANT\/keys /);
    // The secrets file went away with the deploy.
    const secretsFile = after.calls.at(-1)!.at(-1)!;
    expect(() => readFileSync(secretsFile)).toThrow();
  });

  it('is safe to run twice: the second run creates nothing, applies no migration again and keeps every secret', async () => {
    const state = join(work, 'twice.json');
    expect((await deploy(state)).code).toBe(0);
    const first = account(state);
    const second = await deploy(state, { HF_TOKEN: 'hf_from_the_environment' });
    expect(second.code, second.output).toBe(0);
    const after = account(state);
    const calls = after.calls.slice(first.calls.length).map(words);
    expect(calls.filter((call) => call.includes('create'))).toEqual([]);
    expect(calls.at(-1)).toBe('deploy --config --secrets-file');
    expect(after.queues).toEqual(first.queues);
    expect(after.databases).toEqual(first.databases);
    expect(after.kv).toEqual(first.kv);
    expect(second.output).toContain('No migrations to apply');
    // Existing secrets untouched (a new SECRETS_KEY would make stored secrets unreadable); HF_TOKEN added.
    expect(after.worker!.secrets).toEqual({ ...first.worker!.secrets, HF_TOKEN: 'hf_from_the_environment' });
    expect(second.output).toContain('ADMIN_TOKEN was already set');
    expect(second.output).not.toContain(first.worker!.secrets.ADMIN_TOKEN);
    expect(after.worker!.deploys).toBe(2);
  });

  it('stops at a failed step without deploying, and the next run picks up where it stopped', async () => {
    const state = join(work, 'interrupted.json');
    const failed = await deploy(state, { WRANGLER_STAND_IN_FAIL: 'd1 migrations' });
    expect(failed.code).toBe(1);
    expect(failed.output).toContain('applying the D1 migrations failed');
    expect(account(state).worker).toBeNull();
    const again = await deploy(state, { WRANGLER_STAND_IN_FAIL: 'd1 migrations' });
    expect(again.code, again.output).toBe(0);
    const after = account(state);
    expect(after.databases).toHaveLength(1);
    expect(after.queues).toHaveLength(QUEUES.length);
    expect(after.worker!.deploys).toBe(1);
  });

  it('asks to sign in when wrangler is not authenticated, before touching anything', async () => {
    const state = join(work, 'signed-out.json');
    writeFileSync(state, JSON.stringify({ calls: [], authenticated: false, queues: [], databases: [], kv: [], worker: null, failed: [] }));
    const { code, output } = await deploy(state);
    expect(code).toBe(1);
    expect(output).toContain('npx wrangler login');
    expect(account(state).calls.map(words)).toEqual(['whoami']);
  });
});
