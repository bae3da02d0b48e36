#!/usr/bin/env node
// `npm run example`: serves examples/jamstack as a static site on http://localhost:8788, a different
// origin from minnow, as a real Jamstack site would be. The page follows the server it is started
// against: `--base-url <url>`, else the PORT `npm start` was given (PORT=9000 npm run example), else
// http://localhost:8787. config.js is served with that MINNOW_URL (the file on disk is untouched).
// Before serving, it checks that minnow answers there and that config.js's key works from this
// site's origin, and says what to do when not. EXAMPLE_PORT moves the site itself.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EXAMPLE_PORT } from './demo.mjs';
import { createStaticServer } from './lib/static-server.mjs';

const ROOT = new URL('../examples/jamstack/', import.meta.url);
const CONFIG = new URL('config.js', ROOT);

const { values } = parseArgs({ options: { 'base-url': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (values.help) {
  console.log('usage: npm run example [-- --base-url http://localhost:8787]   (or PORT=… as given to npm start; EXAMPLE_PORT=… for this site)');
  process.exit(0);
}

function baseUrl() {
  const raw = values['base-url'] ?? `http://localhost:${process.env.PORT ?? 8787}`;
  let url;
  try {
    url = new URL(raw);
  } catch {
    console.error(`example: --base-url ${JSON.stringify(raw)} is not a URL (e.g. http://localhost:8787)`);
    process.exit(2);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    console.error(`example: --base-url must be http(s), got ${raw}`);
    process.exit(2);
  }
  return url.origin;
}

const base = baseUrl();
/** config.js as on disk, with MINNOW_URL replaced by `base` (read per request: edits show at once). */
async function configFor() {
  const source = await readFile(CONFIG, 'utf8');
  return source.replace(/^export const MINNOW_URL = .*$/m, `export const MINNOW_URL = ${JSON.stringify(base)}; // set by npm run example`);
}
const configValue = (source, name) => new RegExp(`^export const ${name} = ['"]([^'"]*)['"];`, 'm').exec(source)?.[1];

const overrides = {};
Object.defineProperty(overrides, '/config.js', { enumerable: true, get: () => configFor() });
const port = Number(process.env.EXAMPLE_PORT ?? EXAMPLE_PORT);
const site = await createStaticServer({ root: ROOT, port, host: '127.0.0.1', overrides });
const origin = `http://localhost:${site.port}`;
console.log(`example site on ${origin}/ using minnow at ${base}`);

/** What a visitor of this site would hit first: is minnow there, and does config.js's key work from here? */
async function check() {
  const key = configValue(await readFile(CONFIG, 'utf8'), 'MINNOW_KEY');
  const startHint = values['base-url'] ? 'check --base-url' : `start it with npm start${process.env.PORT ? ` (PORT=${process.env.PORT})` : ''}, or pass --base-url`;
  try {
    const health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(3000) });
    if (!health.ok) throw new Error(`GET /healthz answered ${health.status}`);
  } catch (error) {
    console.warn(`example: warning: minnow is not answering at ${base} (${error.cause?.code ?? error.message}): ${startHint}. The page will show errors until it does.`);
    return;
  }
  if (!key) return;
  // Language detection runs on the local tier (free); the request is what the page itself would send.
  const response = await fetch(`${base}/v1/language`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', Origin: origin },
    body: JSON.stringify({ text: 'hello' }),
  }).catch((error) => ({ ok: false, status: 0, json: async () => ({ error: { code: error.message } }) }));
  if (response.ok) return console.log(`checked: minnow answers at ${base}, and config.js's key works from ${origin}`);
  const { error } = await response.json().catch(() => ({ error: {} }));
  console.warn(`example: warning: minnow at ${base} refuses config.js's key from ${origin}: ${response.status} ${error?.code ?? ''}${error?.message ? ` — ${error.message}` : ''}`);
}
await check();
