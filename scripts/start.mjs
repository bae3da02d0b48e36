#!/usr/bin/env node
// `npm start`: applies the D1 migrations to local storage, seeds the demo tenant, runs the Worker
// with `wrangler dev` (KV, D1, Durable Objects and Queues persisted under .wrangler/), and prints
// a curl line that works as printed.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { DEMO_BOT, DEMO_KB, seedDemoDocuments } from './demo-content.mjs';
import { DEMO_KEY, DEMO_PUBLISHABLE_KEY, DEMO_TENANT, EXAMPLE_PORT, publishableDemoOrigins } from './demo.mjs';

const port = Number(process.env.PORT ?? 8787);
// PERSIST_TO=<dir>: keep the local state there instead of .wrangler/state (the docs-examples test
// runs npm start on a fresh directory, so it never touches a developer's own state).
const persist = process.env.PERSIST_TO ? ['--persist-to', process.env.PERSIST_TO] : [];
const wrangler = ['node_modules/.bin/wrangler'];
// CLOUDFLARE_CF_FETCH_ENABLED=false: Miniflare would otherwise download a sample `request.cf`
// object from Cloudflare on start (a stack trace when offline); the Worker does not read it.
const env = { CLOUDFLARE_CF_FETCH_ENABLED: 'false', ...process.env, WRANGLER_SEND_METRICS: 'false' };
// Workers AI needs a Cloudflare account; without one the local tier (and HF, if HF_TOKEN is in
// .dev.vars) serves every request.
const cloudflare = Boolean(process.env.CLOUDFLARE_API_TOKEN && process.env.CLOUDFLARE_ACCOUNT_ID);

function run(args, what) {
  const result = spawnSync(wrangler[0], args, { env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(`minnow: ${what} failed:\n${result.stdout}\n${result.stderr}`);
    process.exit(1);
  }
}

const sql = (value) => `'${String(value).replaceAll("'", "''")}'`;

console.log(`minnow: applying D1 migrations to local storage (${process.env.PERSIST_TO ?? '.wrangler/state'})…`);
run(['d1', 'migrations', 'apply', 'DB', '--local', ...persist], 'applying migrations');

const now = new Date().toISOString();
const keyHash = createHash('sha256').update(DEMO_KEY).digest('hex');
const publishableHash = createHash('sha256').update(DEMO_PUBLISHABLE_KEY).digest('hex');
// Origins follow PORT, so the key is rewritten on every start (INSERT OR REPLACE).
const publishableOrigins = JSON.stringify(publishableDemoOrigins(port));
run(
  [
    'd1', 'execute', 'DB', '--local', ...persist, '--command',
    `INSERT OR IGNORE INTO tenants (id, name, rpm, burst, daily_budget_usd, created_at, updated_at)
       VALUES (${sql(DEMO_TENANT.id)}, ${sql(DEMO_TENANT.name)}, 600, 100, 10, ${sql(now)}, ${sql(now)});
     INSERT OR IGNORE INTO api_keys (id, tenant_id, kind, prefix, hash, scopes, origins, created_at)
       VALUES ('key_demo', ${sql(DEMO_TENANT.id)}, 'secret', ${sql(DEMO_KEY.slice(0, 11))}, ${sql(keyHash)}, '["*"]', '[]', ${sql(now)});
     INSERT OR REPLACE INTO api_keys (id, tenant_id, kind, prefix, hash, scopes, origins, visitor_rpm, visitor_burst, created_at)
       VALUES ('key_demo_pk', ${sql(DEMO_TENANT.id)}, 'publishable', ${sql(DEMO_PUBLISHABLE_KEY.slice(0, 11))}, ${sql(publishableHash)}, '["*"]', ${sql(publishableOrigins)}, 120, 30, ${sql(now)});
     INSERT OR IGNORE INTO knowledge_bases (id, tenant_id, name, embedding_provider, embedding_model, dimensions, store, created_at)
       VALUES (${sql(DEMO_KB.id)}, ${sql(DEMO_TENANT.id)}, ${sql(DEMO_KB.name)}, 'local', 'minnow/word-vectors-sif-100d', 100, 'd1', ${sql(now)});
     INSERT OR IGNORE INTO bots (id, tenant_id, name, instructions, knowledge_bases, topics, model, providers, escalation, created_at, updated_at)
       VALUES (${sql(DEMO_BOT.id)}, ${sql(DEMO_TENANT.id)}, ${sql(DEMO_BOT.name)}, ${sql(DEMO_BOT.instructions)}, ${sql(JSON.stringify([DEMO_KB.id]))}, NULL, NULL, NULL, ${sql(JSON.stringify(DEMO_BOT.escalation))}, ${sql(now)}, ${sql(now)});`,
  ],
  'seeding the demo tenant',
);
// The Worker remembers keys in KV for a day: drop the demo key's entry so new origins apply now.
run(['kv', 'key', 'delete', '--binding', 'CACHE', '--local', ...persist, `apikey:${publishableHash}`], 'refreshing the demo key');

const devArgs = ['dev', '--port', String(port), '--ip', '127.0.0.1', '--show-interactive-dev-session=false', ...persist, '--var', 'ENVIRONMENT:development', '--var', `PLAYGROUND_KEY:${DEMO_PUBLISHABLE_KEY}`];
if (!cloudflare) devArgs.push('--local', '--var', 'WORKERS_AI:off');
console.log(`minnow: starting the Worker on http://localhost:${port} (${cloudflare ? 'Workers AI via your Cloudflare account' : 'local mode: no Cloudflare credentials'})…`);
const dev = spawn(wrangler[0], devArgs, { env, stdio: ['inherit', 'inherit', 'inherit'] });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code) => process.exit(code ?? 0));

async function announce() {
  const base = `http://localhost:${port}`;
  for (let attempt = 0; attempt < 600; attempt++) {
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) {
        const health = await response.json();
        await seedDemoDocuments(base, DEMO_KEY).catch((error) => console.error(`minnow: seeding the demo help centre: ${error.message}`));
        const providers = health.providers.map((p) => `${p.id}: ${p.active ? 'active' : 'off'} (${p.detail})`).join('\n  ');
        console.log(`\nminnow is up.\nProviders:\n  ${providers}\n\nTry it:\n  curl -s ${base}/v1/sentiment -H 'Authorization: Bearer ${DEMO_KEY}' -H 'Content-Type: application/json' -d '{"text":["I love this!","This is terrible."]}'\n\nPlayground (every task in the browser): ${base}/\nBrowser SDK: ${base}/sdk.js with the publishable demo key ${DEMO_PUBLISHABLE_KEY} (allowed for ${publishableDemoOrigins(port).join(', ')})\nExample site: ${process.env.PORT ? `PORT=${port} ` : ''}npm run example, then http://localhost:${EXAMPLE_PORT}/\nDemo help centre: knowledge base ${DEMO_KB.id}, support bot ${DEMO_BOT.id}:\n  curl -sN ${base}/v1/chat -H 'Authorization: Bearer ${DEMO_KEY}' -H 'Content-Type: application/json' -d '{"bot":"${DEMO_BOT.id}","message":"Can I put my mug in the dishwasher?","stream":true}'\nDocs: ${base}/docs   Admin token (local only): dev-admin-token\n`);
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  console.error('minnow: the Worker did not answer /healthz within 150 s');
}
announce();
