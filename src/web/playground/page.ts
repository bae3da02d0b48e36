import { cspHashSource } from '../csp';
import { PLAYGROUND_SCRIPT } from './client-app';
import { PLAYGROUND_EXAMPLES } from './examples';
import { PLAYGROUND_STYLE } from './style';

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
/** JSON inside a data block: `<` escaped so no text can close the element. */
const EXAMPLES_JSON = JSON.stringify(PLAYGROUND_EXAMPLES).replace(/</g, '\\u003c');

/**
 * The page. The key comes in a `<meta>` (not the script, whose CSP hash must not change with
 * it); the examples in a JSON data block, which the CSP does not treat as script.
 */
function html(playgroundKey: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="minnow-playground-key" content="${escapeAttribute(playgroundKey)}">
<title>minnow · playground</title>
<link rel="icon" href="data:,">
<style>${PLAYGROUND_STYLE}</style>
</head>
<body>
<header>
<h1>minnow playground</h1>
<p>Small AI models at the edge, one route per task. Pick a task, edit the JSON, run it — from this page, with a publishable key, through the same browser SDK your site would load.</p>
<nav><a href="/docs">API docs</a><a href="/dashboard">Usage dashboard</a><a href="/sdk.d.ts">SDK types</a><a href="/openapi.json">OpenAPI</a></nav>
</header>
<main>
<form id="form" method="post" autocomplete="off" hidden>
<label for="key">Publishable key</label>
<input id="key" spellcheck="false" autocapitalize="off" placeholder="pk_…" aria-describedby="key-source">
<p id="key-source" class="hint"></p>
<div class="grid">
<div>
<label for="task">Task</label>
<select id="task"></select>
<label for="body">Request body (JSON)</label>
<textarea id="body" spellcheck="false"></textarea>
<div class="row"><button id="run" type="submit">Run</button><button id="forget" type="button">Use the demo key</button></div>
</div>
<div>
<h2>The same call from your site</h2>
<pre id="snippet"></pre>
</div>
</div>
</form>
<p id="status" role="status" aria-live="polite"></p>
<div id="error" class="error" role="alert" hidden></div>
<h2>Answer</h2>
<pre id="result" aria-live="polite"></pre>
</main>
<noscript><p>The playground needs JavaScript: it calls the API from this page.</p></noscript>
<script type="application/json" id="examples">${EXAMPLES_JSON}</script>
<script type="module">${PLAYGROUND_SCRIPT}</script>
</body>
</html>
`;
}

let policy: Promise<string> | undefined;

async function buildPolicy(): Promise<string> {
  const [script, style] = await Promise.all([cspHashSource(PLAYGROUND_SCRIPT), cspHashSource(PLAYGROUND_STYLE)]);
  return [
    // As the dashboard: nothing by default, the inline script and style by hash, plus this
    // origin's /sdk.js (the module the script imports) and fetches to this origin's API.
    "default-src 'none'",
    `script-src 'self' ${script}`,
    `style-src ${style}`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}

export interface PlaygroundPage {
  html: string;
  contentSecurityPolicy: string;
}

/** The policy is built once per isolate (its hashes depend only on constants). */
export async function playgroundPage(playgroundKey: string): Promise<PlaygroundPage> {
  policy ??= buildPolicy().catch((error: unknown) => {
    policy = undefined;
    throw error;
  });
  return { html: html(playgroundKey), contentSecurityPolicy: await policy };
}
