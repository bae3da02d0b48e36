import { cspHashSource } from '../csp';
import { APP_SCRIPT } from './client-app';
import { CHARTS_SCRIPT } from './client-charts';
import { DASHBOARD_STYLE } from './style';

/** The chart helpers and the app share one scope; strict mode catches sloppy browser code. */
const SCRIPT = `(() => {\n'use strict';\n${CHARTS_SCRIPT}\n${APP_SCRIPT}\n})();\n`;

/**
 * The page's markup. The form has `method="post"` and `form-action 'none'` in the CSP, and the key
 * input has no `name`: if the script ever failed to load, submitting could still not put the key
 * in a URL. `<link rel="icon" href="data:,">` stops the browser asking for /favicon.ico (a 404).
 */
const HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>minnow · usage</title>
<link rel="icon" href="data:,">
<style>${DASHBOARD_STYLE}</style>
</head>
<body>
<header>
<h1>minnow usage</h1>
<p>Requests, cost, savings, cache hits and latency per UTC day, for the tenant of a secret key.</p>
</header>
<main>
<form id="key-form" method="post" autocomplete="off" hidden>
<label for="key">Secret API key</label>
<input id="key" type="password" placeholder="sk_…" spellcheck="false" autocapitalize="off" aria-describedby="key-hint">
<button type="submit">Show usage</button>
<p id="key-hint" class="hint">Kept in this browser tab only (sessionStorage) and sent only to this server's <code>/v1/usage</code>, in the Authorization header — never in the URL or a cookie.</p>
</form>
<div id="session" class="session" hidden>
<span>Key <code id="key-prefix"></code></span>
<label for="range">Range</label>
<select id="range"><option value="7">Last 7 days</option><option value="30" selected>Last 30 days</option><option value="90">Last 90 days</option></select>
<button id="refresh" type="button">Refresh</button>
<button id="forget" type="button">Forget key</button>
</div>
<p id="status" role="status" aria-live="polite"></p>
<div id="error" class="error" role="alert" hidden></div>
<section id="report" aria-labelledby="totals-heading" hidden>
<h2 id="totals-heading">Totals, <span id="range-label"></span></h2>
<dl id="totals" class="totals"></dl>
<p class="note">Baseline: what calling each task's default neural model for every item would have cost. Saved = baseline − cost: what the cache, the local tier and your own endpoints saved.</p>
<h2>Per day</h2>
<div id="charts" class="charts"></div>
<details><summary>Daily figures as a table</summary><table id="table"></table></details>
</section>
</main>
<noscript><p>This dashboard needs JavaScript: it calls <code>/v1/usage</code> with your key from this page.</p></noscript>
<script>${SCRIPT}</script>
</body>
</html>
`;

export interface DashboardPage {
  html: string;
  contentSecurityPolicy: string;
}

async function build(): Promise<DashboardPage> {
  const [script, style] = await Promise.all([cspHashSource(SCRIPT), cspHashSource(DASHBOARD_STYLE)]);
  const directives = [
    // Nothing by default; then only what the page uses: its own inline script and style (by hash)
    // and fetches to this origin's API. No 'unsafe-inline', no remote origins.
    "default-src 'none'",
    `script-src ${script}`,
    `style-src ${style}`,
    "connect-src 'self'",
    // Only for the empty `data:,` favicon: Chromium checks favicons against img-src, and without
    // the link it would fetch /favicon.ico, which this policy would block just the same.
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    // The page builds its DOM from text nodes only; this makes any HTML-string sink throw.
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ];
  return { html: HTML, contentSecurityPolicy: directives.join('; ') };
}

let page: Promise<DashboardPage> | undefined;

/** Built once per isolate: the hashes depend only on constants. */
export function dashboardPage(): Promise<DashboardPage> {
  page ??= build().catch((error: unknown) => {
    page = undefined; // do not remember a failure: the next request tries again
    throw error;
  });
  return page;
}
