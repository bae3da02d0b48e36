// /docs is the interactive API reference, served whole by the Worker (the viewer is a static asset,
// assets/docs/): it must render with no network beyond the Worker's own origin.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchProblems } from './support/browser';
import { startLocalServer, type LocalServer } from './support/local-server';

const STATE_DIR = '.wrangler/docs-browser-test-state';
const SCREENSHOTS = 'test-results';

let server: LocalServer;
let browser: Browser;
let base: string;

type OpenApiDoc = { paths: Record<string, Record<string, { summary?: string; tags?: string[] }>> };

beforeAll(async () => {
  server = await startLocalServer({ stateDir: STATE_DIR });
  base = `http://127.0.0.1:${server.port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('GET /docs', () => {
  it('is a page whose scripts come only from this origin, under a CSP with no CDN, eval or inline script', async () => {
    const response = await server.request('GET', '/docs');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(response.headers['content-security-policy']);
    const directives = new Map(csp.split(/;\s*/).map((directive) => [directive.split(' ')[0], directive.split(' ').slice(1)]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/https?:|\*|unsafe-eval/);
    const scripts = [...response.text.matchAll(/<script src="([^"]+)"><\/script>/g)].map((match) => match[1]);
    expect(scripts).toEqual(['/docs/init.js', expect.stringMatching(/^\/docs\/scalar-api-reference-\d+\.\d+\.\d+\.js$/)]);
    expect(response.text).not.toMatch(/<script>|https?:\/\//);

    const viewer = await server.request('GET', scripts[1]!);
    expect(viewer.status).toBe(200);
    expect(viewer.headers['content-type']).toMatch(/^text\/javascript/);
    expect(viewer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(viewer.text.length).toBeGreaterThan(1_000_000);
  });

  it('renders every operation of /openapi.json with every request outside the Worker blocked', async () => {
    const doc = await server.json<OpenApiDoc>('GET', '/openapi.json');
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    expect(operations.length).toBeGreaterThan(40);
    expect(operations.filter((operation) => !operation.summary)).toEqual([]);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const blocked: string[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin === base) return route.continue();
      blocked.push(url.href);
      return route.abort('internetdisconnected');
    });
    const page = await context.newPage();
    const problems = await watchProblems(page);
    await page.goto(`${base}/docs`);

    // The sidebar lists operations by summary, grouped by tag; the first group starts open.
    const sidebar = page.locator('aside');
    await sidebar.getByText(operations[0]!.summary!, { exact: true }).waitFor();
    // Open the others (an opened group's button is renamed "Close Group - …").
    const closed = page.getByRole('button', { name: /^Open Group - / });
    for (let guard = 0; guard < 50 && (await closed.count()) > 0; guard++) await closed.first().click();
    const listed = await sidebar.innerText();
    const missing = operations.map((operation) => operation.summary!).filter((summary) => !listed.includes(summary));
    expect(missing).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}/docs-offline.png` });

    // Nothing tried to leave the machine, and the page ran without a CSP violation or error.
    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
