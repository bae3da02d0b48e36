#!/usr/bin/env node
// `npm run deploy`: creates whatever is missing on your Cloudflare account and deploys, in an order
// that is safe to repeat (a second run creates nothing and changes no secret):
//   1. the queues wrangler.toml names (producers, consumers, dead-letter queues), if absent;
//   2. the D1 database, by its name, if absent — before the deploy, so the migrations run before the
//      code that needs them;
//   3. the D1 migrations, remotely;
//   4. the secrets that are not set yet: ADMIN_TOKEN, SECRETS_KEY and VISITOR_TOKEN_SECRET generated
//      (32 random bytes each), HF_TOKEN from your environment if you export it; uploaded with the
//      deploy. A secret that is already set is never replaced (SECRETS_KEY encrypts stored data);
//   5. `wrangler deploy`, which provisions the KV namespace itself (wrangler.toml gives it no id;
//      later deploys reuse the one the Worker is bound to);
// then prints the commands that make the first tenant and its key.
//
// wrangler is found on PATH (npm run puts node_modules/.bin first; tests put a stand-in first).
// wrangler.toml stays as it is: the D1 id goes into a generated config under .wrangler/.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { experimental_readRawConfig as readRawConfig } from 'wrangler';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GENERATED_CONFIG = join(ROOT, '.wrangler', 'deploy-generated', 'wrangler.json');
/** Secrets the Worker needs, generated when unset: 32 random bytes each (SECRETS_KEY must be base64). */
const GENERATORS = {
  ADMIN_TOKEN: () => randomBytes(32).toString('base64url'),
  SECRETS_KEY: () => randomBytes(32).toString('base64'),
  VISITOR_TOKEN_SECRET: () => randomBytes(32).toString('base64'),
};
const GENERATED_SECRETS = Object.keys(GENERATORS);
/** Secrets taken from the environment when exported (never generated). */
const OPTIONAL_SECRETS = ['HF_TOKEN'];

const env = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  // After whatever is on PATH, so a wrangler earlier on PATH (or npm run's node_modules/.bin) wins.
  PATH: [process.env.PATH, join(ROOT, 'node_modules', '.bin')].filter(Boolean).join(delimiter),
};

const step = (text) => console.log(`\ndeploy: ${text}`);
function fail(text) {
  console.error(`\ndeploy: ${text}`);
  process.exit(1);
}

/** Runs wrangler quietly and returns what it printed (for reading its answers). */
function query(args) {
  const result = spawnSync('wrangler', args, { cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) fail(`could not run wrangler (${result.error.message}); run npm ci first`);
  return { ok: result.status === 0, out: `${result.stdout}${result.stderr}`, stdout: result.stdout };
}

/** Runs wrangler with its output shown (and kept); fails the deploy if it fails. */
function run(args, what) {
  return new Promise((done) => {
    const child = spawn('wrangler', args, { cwd: ROOT, env, stdio: ['inherit', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => {
      out += chunk;
      process.stderr.write(chunk);
    });
    child.on('error', (error) => fail(`could not run wrangler (${error.message}); run npm ci first`));
    child.on('exit', (code) => (code === 0 ? done(out) : fail(`${what} failed (wrangler exited ${code}); nothing after it was done. Fix the cause and run npm run deploy again: it picks up where it stopped.`)));
  });
}

/** JSON printed by wrangler, which may put a banner or notices before it. */
function parseJson(text, what) {
  const start = text.search(/^[[{]/m);
  try {
    return JSON.parse(text.slice(start));
  } catch {
    return fail(`could not read ${what} from wrangler's answer:\n${text}`);
  }
}

const { rawConfig } = readRawConfig({ config: join(ROOT, 'wrangler.toml') });
const workerName = rawConfig.name;

// 0. Signed in?
const who = query(['whoami']);
if (!who.ok || /not authenticated|You are not authenticated/i.test(who.out)) {
  fail('wrangler is not signed in to Cloudflare: run `npx wrangler login` (or export CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID), then npm run deploy again.');
}

// 1. Queues.
const queueNames = [
  ...new Set([
    ...(rawConfig.queues?.producers ?? []).map((producer) => producer.queue),
    ...(rawConfig.queues?.consumers ?? []).flatMap((consumer) => [consumer.queue, consumer.dead_letter_queue].filter(Boolean)),
  ]),
];
step(`queues: ${queueNames.join(', ')}`);
for (const name of queueNames) {
  const info = query(['queues', 'info', name]);
  if (info.ok) {
    console.log(`  ${name}: exists`);
    continue;
  }
  if (!/does not exist/i.test(info.out)) fail(`could not look up queue ${name}:\n${info.out}`);
  await run(['queues', 'create', name], `creating queue ${name}`);
}

// 2. D1, by name.
const database = rawConfig.d1_databases?.[0];
if (!database) fail('wrangler.toml names no D1 database');
const findDatabase = () => parseJson(query(['d1', 'list', '--json']).stdout, 'the D1 database list').find((db) => db.name === database.database_name);
let d1 = findDatabase();
step(`D1 database "${database.database_name}": ${d1 ? `exists (${d1.uuid})` : 'creating it'}`);
if (!d1) {
  await run(['d1', 'create', database.database_name], `creating the D1 database ${database.database_name}`);
  d1 = findDatabase();
  if (!d1) fail(`the D1 database ${database.database_name} was created but is not listed yet; run npm run deploy again`);
}

// The config deploy and the migrations use: wrangler.toml with the D1 id and absolute paths.
const generated = {
  ...rawConfig,
  main: resolve(ROOT, rawConfig.main),
  ...(rawConfig.assets ? { assets: { ...rawConfig.assets, directory: resolve(ROOT, rawConfig.assets.directory) } } : {}),
  d1_databases: rawConfig.d1_databases.map((db) => ({
    ...db,
    ...(db.binding === database.binding ? { database_id: d1.uuid } : {}),
    ...(db.migrations_dir ? { migrations_dir: resolve(ROOT, db.migrations_dir) } : {}),
  })),
};
mkdirSync(join(GENERATED_CONFIG, '..'), { recursive: true });
writeFileSync(GENERATED_CONFIG, `${JSON.stringify(generated, null, 2)}\n`);
const config = ['--config', GENERATED_CONFIG];

// 3. Migrations, before the code that needs them.
step('D1 migrations (remote)');
await run(['d1', 'migrations', 'apply', database.binding, '--remote', ...config], 'applying the D1 migrations');

// 4. Secrets that are not set yet.
const listed = query(['secret', 'list', ...config]);
let existing = [];
if (listed.ok) existing = parseJson(listed.stdout, 'the secret list').map((secret) => secret.name);
else if (!/not found/i.test(listed.out)) fail(`could not list the Worker's secrets:\n${listed.out}`);
const secrets = {};
for (const name of GENERATED_SECRETS) if (!existing.includes(name)) secrets[name] = GENERATORS[name]();
for (const name of OPTIONAL_SECRETS) if (process.env[name] && !existing.includes(name)) secrets[name] = process.env[name];
step(`secrets: ${[...GENERATED_SECRETS, ...OPTIONAL_SECRETS].map((name) => `${name} ${existing.includes(name) ? 'already set' : name in secrets ? (process.env[name] ? 'from your environment' : 'generated') : 'not set (optional)'}`).join(', ')}`);

// 5. Deploy (KV provisioned by wrangler), with the new secrets.
step(`deploying ${workerName}`);
const secretsDir = mkdtempSync(join(tmpdir(), 'minnow-deploy-'));
let deployed = '';
try {
  const deployArgs = ['deploy', ...config];
  if (Object.keys(secrets).length > 0) {
    const file = join(secretsDir, 'secrets.json');
    writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
    deployArgs.push('--secrets-file', file);
  }
  deployed = await run(deployArgs, 'wrangler deploy');
} finally {
  rmSync(secretsDir, { recursive: true, force: true });
}

const url = /https:\/\/[^\s]+\.workers\.dev/.exec(deployed)?.[0] ?? '<your Worker URL>';
const token = secrets.ADMIN_TOKEN ?? '<your ADMIN_TOKEN>';
console.log(`
minnow is deployed at ${url}.
${secrets.ADMIN_TOKEN ? `\nADMIN_TOKEN (generated now; Cloudflare will not show it again, keep it somewhere safe):\n  ${secrets.ADMIN_TOKEN}\n` : '\nADMIN_TOKEN was already set; use the value you kept (or set a new one: npx wrangler secret put ADMIN_TOKEN).\n'}
Make the first tenant and its secret key (the key is shown once):
  URL=${url}
  ADMIN_TOKEN='${token}'
  TENANT=$(curl -s $URL/admin/tenants -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' -d '{"name":"My company"}' | sed -E 's/^\\{"id":"([^"]+)".*/\\1/')
  curl -s $URL/admin/tenants/$TENANT/keys -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json' -d '{"kind":"secret"}'
`);
