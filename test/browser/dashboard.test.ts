import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchProblems } from './support/browser';
import { ADMIN, createTenant, startLocalServer, type LocalServer, type LocalTenant } from './support/local-server';

const KEY_STORE = 'minnow.dashboard.key';
const SCREENSHOTS = 'test-results';
// Like bench/ and eval/: a state dir of its own under .wrangler/, wiped by startLocalServer.
const STATE_DIR = '.wrangler/browser-test-state';

interface Rollup {
  requests: number;
  items: number;
  cached_items: number;
  cache_hit_ratio: number | null;
  cost_usd: number;
  baseline_cost_usd: number;
  saved_usd: number;
  latency_p50_ms: number | null;
  latency_p99_ms: number | null;
}
interface UsageReport {
  data: Array<Rollup & { group: string }>;
  totals: Rollup;
}

// The page's number formats (src/web/dashboard/client-app.ts), to compare its totals with the API's.
function usd(v: number): string {
  if (v === 0) return '$0';
  const digits = Math.abs(v) >= 1 ? {} : Math.abs(v) >= 0.01 ? { minimumFractionDigits: 2, maximumFractionDigits: 4 } : { maximumSignificantDigits: 3 };
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', ...digits }).format(v);
}
const ratio = (v: number | null) => (v === null ? '—' : new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }).format(v));
const ms = (v: number | null) => (v === null ? '—' : `${new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(v)} ms`);

/** What the test sends: repeats make cache hits (x-cache is checked, so the expectation is real). */
const WORKLOAD: Array<{ task: string; body: Record<string, unknown>; cache: 'MISS' | 'HIT' | 'PARTIAL' }> = [
  { task: 'sentiment', body: { text: 'I love this dashboard' }, cache: 'MISS' },
  { task: 'sentiment', body: { text: 'I love this dashboard' }, cache: 'HIT' },
  { task: 'sentiment', body: { text: 'I love this dashboard' }, cache: 'HIT' },
  { task: 'sentiment', body: { text: 'The export was terribly slow.' }, cache: 'MISS' },
  { task: 'sentiment', body: { text: 'The export was terribly slow.' }, cache: 'HIT' },
  { task: 'sentiment', body: { text: ['I love this dashboard', 'Shipping was quick and painless.'] }, cache: 'PARTIAL' },
  { task: 'language', body: { text: 'Bonjour tout le monde, comment allez-vous ?' }, cache: 'MISS' },
  { task: 'language', body: { text: 'Bonjour tout le monde, comment allez-vous ?' }, cache: 'HIT' },
];
const ITEMS = 9;
const CACHED_ITEMS = 5;

let server: LocalServer;
let browser: Browser;
let tenant: LocalTenant;
let usage: UsageReport;
let base: string;

async function usageOf(auth: Record<string, string>): Promise<UsageReport> {
  return server.json<UsageReport>('GET', '/v1/usage?group_by=day', auth);
}

/** Opens the dashboard in a fresh context (its own sessionStorage) and submits `key`. */
async function openWithKey(key: string): Promise<{ page: Page; problems: string[]; requested: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  const problems = await watchProblems(page);
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await page.goto(`${base}/dashboard`);
  await page.getByLabel('Secret API key').fill(key);
  await page.getByRole('button', { name: 'Show usage' }).click();
  return { page, problems, requested };
}

beforeAll(async () => {
  server = await startLocalServer({ stateDir: STATE_DIR });
  base = `http://127.0.0.1:${server.port}`;
  tenant = await createTenant(server, 'dashboard-browser-test');
  for (const { task, body, cache } of WORKLOAD) {
    const response = await server.request('POST', `/v1/${task}`, tenant.auth, body);
    expect(response.status, response.text).toBe(200);
    expect(response.headers['x-cache'], `${task} ${JSON.stringify(body)}`).toBe(cache);
  }
  // Usage events reach D1 through the queue, whose consumer batches for about a second.
  const deadline = Date.now() + 20_000;
  do {
    usage = await usageOf(tenant.auth);
    if (usage.totals.requests >= WORKLOAD.length) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  } while (Date.now() < deadline);
  expect(usage.totals).toMatchObject({ requests: WORKLOAD.length, items: ITEMS, cached_items: CACHED_ITEMS });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('GET /dashboard', () => {
  it('is an HTML page under a strict Content-Security-Policy, with the app-wide security headers', async () => {
    const response = await server.request('GET', '/dashboard');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const csp = String(response.headers['content-security-policy']);
    const directives = new Map(csp.split(/;\s*/).map((directive) => [directive.split(' ')[0], directive.split(' ').slice(1)]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual([expect.stringMatching(/^'sha256-[A-Za-z0-9+/]{43}='$/)]);
    expect(directives.get('style-src')).toEqual([expect.stringMatching(/^'sha256-[A-Za-z0-9+/]{43}='$/)]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-|https?:|\*/);
    // secureHeaders() still adds its headers around the page's own CSP.
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-request-id']).toBeTruthy();
    expect(response.headers['cache-control']).toBe('no-store');
    // No CDN: the page loads nothing but itself.
    expect(response.text).not.toMatch(/<script[^>]*\ssrc=|<link[^>]*stylesheet|\s(src|href)="?https?:/);
  });

  it('charts the tenant’s usage per day with the right totals, after the key is entered', async () => {
    const { page, problems, requested } = await openWithKey(tenant.key);
    const usageCall = page.waitForRequest((request) => request.url().includes('/v1/usage'));
    await page.getByRole('button', { name: 'Refresh' }).click();
    expect((await usageCall).headers()['authorization']).toBe(`Bearer ${tenant.key}`);

    const total = (field: string) => page.locator(`[data-total="${field}"]`);
    await expect.poll(() => total('requests').textContent()).toBe(String(WORKLOAD.length));
    expect(await total('items').textContent()).toBe(String(ITEMS));
    expect(await total('cost_usd').textContent()).toBe(usd(usage.totals.cost_usd));
    expect(await total('baseline_cost_usd').textContent()).toBe(usd(usage.totals.baseline_cost_usd));
    expect(await total('saved_usd').textContent()).toBe(usd(usage.totals.saved_usd));
    expect(await total('cache_hit_ratio').textContent()).toBe(ratio(CACHED_ITEMS / ITEMS));
    expect(await total('latency_p50_ms').textContent()).toBe(ms(usage.totals.latency_p50_ms));
    expect(await total('latency_p99_ms').textContent()).toBe(ms(usage.totals.latency_p99_ms));
    // The local tier answered everything: it cost nothing and saved what the default neural model would have cost.
    expect(usage.totals.cost_usd).toBe(0);
    expect(usage.totals.saved_usd).toBeGreaterThan(0);

    // Five charts, each an accessible image with a <title>, axis titles, and a 30-day x axis.
    expect(await page.locator('svg.chart > title').allTextContents()).toEqual(['Requests', 'Cost (USD)', 'Savings (USD)', 'Cache hit ratio', 'Latency (ms)']);
    for (const chart of await page.locator('svg.chart').all()) {
      expect(await chart.getAttribute('role')).toBe('img');
      expect(await chart.locator('desc').textContent()).toMatch(/per UTC day/);
      expect(await chart.locator('text.axis-title').allTextContents()).toContain('Day (UTC)');
    }
    const today = new Date().toISOString().slice(0, 10);
    // All requests were today: one bar, whose tooltip says how many.
    expect(await page.locator('#chart-requests rect.bar > title').allTextContents()).toEqual([`${today}: ${WORKLOAD.length}`]);
    expect(await page.locator('#chart-cost rect.bar').count()).toBe(0); // $0 every day: no bars
    expect(await page.locator('#chart-saved rect.bar > title').allTextContents()).toEqual([`${today}: ${usd(usage.totals.saved_usd)}`]);
    expect(await page.locator('#chart-cache .marker > title').allTextContents()).toEqual([`${today}: ${ratio(CACHED_ITEMS / ITEMS)}`]);
    // p50 and p99 differ by marker shape (circle vs square) and dash, not only colour.
    expect(await page.locator('#chart-latency circle.marker').count()).toBe(1);
    expect(await page.locator('#chart-latency rect.marker').count()).toBe(1);
    expect(await page.locator('[data-chart="chart-latency"] .legend li').allTextContents()).toEqual(['p50 (solid, circles)', 'p99 (dashed, squares)']);
    expect(await page.locator('#table tbody tr').count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard.png`, fullPage: true });

    // The key stays in this tab's sessionStorage: not in the URL, not in a cookie, not in localStorage.
    expect(page.url()).toBe(`${base}/dashboard`);
    expect(requested.every((url) => !url.includes(tenant.key))).toBe(true);
    expect(await page.context().cookies()).toEqual([]);
    expect(await page.evaluate(`sessionStorage.getItem('${KEY_STORE}')`)).toBe(tenant.key);
    expect(await page.evaluate('localStorage.length')).toBe(0);

    // A reload keeps the key for this tab; the range picker asks again for 7 days.
    await page.reload();
    await expect.poll(() => total('requests').textContent()).toBe(String(WORKLOAD.length));
    await page.getByLabel('Range').selectOption('7');
    const sevenDaysAgo = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    await expect.poll(() => page.locator('#range-label').textContent()).toBe(`${sevenDaysAgo} to ${today} (UTC)`);
    expect(await total('requests').textContent()).toBe(String(WORKLOAD.length));

    // "Forget key" removes it and asks again.
    await page.getByRole('button', { name: 'Forget key' }).click();
    await expect.poll(() => page.getByLabel('Secret API key').isVisible()).toBe(true);
    expect(await page.evaluate(`sessionStorage.getItem('${KEY_STORE}')`)).toBeNull();
    expect(await page.locator('#report').isHidden()).toBe(true);

    expect(problems).toEqual([]); // no script errors, no CSP violations
    await page.context().close();
  });

  it('shows a clear error for a wrong key, and asks for the key again', async () => {
    const wrongKey = `sk_${'W'.repeat(32)}`;
    const { page, problems } = await openWithKey(wrongKey);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.isVisible()).toBe(true);
    const text = await alert.textContent();
    expect(text).toContain('Error 401 · invalid_api_key');
    expect(text).toContain('The API key is not valid');
    expect(text).toMatch(/Request id: \S+/);
    expect(await page.getByLabel('Secret API key').isVisible()).toBe(true);
    expect(await page.evaluate(`sessionStorage.getItem('${KEY_STORE}')`)).toBeNull();
    expect(await page.locator('#report').isHidden()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-error.png`, fullPage: true });
    // The browser logs the failed fetch itself; anything else would be a problem.
    expect(problems.filter((problem) => !/status of 401/.test(problem))).toEqual([]);
    await page.context().close();
  });

  it('draws every day of a 90-day range: gaps where there were no requests, negative savings below zero', async () => {
    // Real usage can only be made "today", so this one answers /v1/usage with a made-up report.
    const DAY = 86_400_000;
    const start = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`) - 89 * DAY;
    const data = Array.from({ length: 90 }, (_, i) => i)
      .filter((i) => i % 3 !== 1) // every third day without requests
      .map((i) => {
        const requests = 20 + ((i * 37) % 80);
        const cost = i === 45 ? 0.0125 : 0.0004 * requests; // day 45: a dearer model than the baseline
        const baseline = i === 45 ? 0.01 : 0.0011 * requests;
        return {
          group: new Date(start + i * DAY).toISOString().slice(0, 10), requests, items: requests * 2, cached_items: Math.round(requests * (0.2 + (i % 7) / 10)),
          cache_hit_ratio: (0.2 + (i % 7) / 10) / 2, cost_usd: cost, baseline_cost_usd: baseline, saved_usd: baseline - cost, neurons: 0,
          latency_p50_ms: 3 + (i % 5), latency_p99_ms: 40 + ((i * 13) % 60),
        };
      });
    const sum = (field: 'requests' | 'cost_usd') => data.reduce((total, row) => total + row[field], 0);
    const totals = { requests: sum('requests'), items: 2 * sum('requests'), cached_items: 0, cache_hit_ratio: 0.4, cost_usd: sum('cost_usd'), baseline_cost_usd: 1.5, saved_usd: 1.5 - sum('cost_usd'), neurons: 0, latency_p50_ms: 5, latency_p99_ms: 97 };
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const queries: URLSearchParams[] = [];
    await context.route('**/v1/usage?*', (route) => {
      queries.push(new URL(route.request().url()).searchParams);
      return route.fulfill({ json: { object: 'usage', from: '', to: '', group_by: 'day', data, has_more: false, totals } });
    });
    const page = await context.newPage();
    const problems = await watchProblems(page);
    await page.goto(`${base}/dashboard`);
    await page.getByLabel('Secret API key').fill(tenant.key);
    await page.getByRole('button', { name: 'Show usage' }).click();
    await page.getByLabel('Range').selectOption('90');
    // Every range gets the same made-up answer, so wait for the 90-day rendering itself (all its bars),
    // not just the totals, which the 30-day rendering before it shows too.
    await expect.poll(() => page.locator('#chart-requests rect.bar').count()).toBe(data.length);
    await expect.poll(() => page.locator('[data-total="requests"]').textContent()).toBe(totals.requests.toLocaleString('en-US'));
    expect(Object.fromEntries(queries.at(-1)!)).toEqual({
      from: new Date(start).toISOString().slice(0, 10),
      to: new Date(start + 90 * DAY).toISOString().slice(0, 10),
      group_by: 'day',
    });
    expect(await page.locator('#chart-requests rect.bar').count()).toBe(data.length);
    expect(await page.locator('#chart-saved rect.bar.negative > title').allTextContents()).toEqual([`${data.find((row) => row.saved_usd < 0)!.group}: ${usd(-0.0025)}`]);
    // Lines break at days without requests instead of drawing through them: one segment per run of days.
    const runs = data.filter((row, index) => index === 0 || Date.parse(row.group) - Date.parse(data[index - 1]!.group) > DAY).length;
    expect((await page.locator('#chart-cache path').getAttribute('d'))!.match(/M/g)).toHaveLength(runs);
    expect(await page.locator('#chart-latency circle.marker').count()).toBe(data.length);
    expect(await page.locator('#table tbody tr').count()).toBe(data.length);
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-90-days.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('explains a publishable key (403) and a rate limit (429)', async () => {
    const publishable = await server.json<{ key: string }>('POST', `/admin/tenants/${tenant.id}/keys`, ADMIN, { kind: 'publishable', origins: ['https://shop.example'] }, 201);
    const forbidden = await openWithKey(publishable.key);
    await expect.poll(() => forbidden.page.getByRole('alert').textContent()).toContain('Error 403 · secret_key_required');
    expect(await forbidden.page.getByRole('alert').textContent()).toContain('needs a secret key (sk_…)');
    await forbidden.page.context().close();

    // A tenant allowed one request at a time: the first load is admitted, the refresh is not.
    const slow = await server.json<{ id: string }>('POST', '/admin/tenants', ADMIN, { name: 'one-rpm', limits: { rpm: 1, burst: 1, daily_budget_usd: 1 } }, 201);
    const slowKey = await server.json<{ key: string }>('POST', `/admin/tenants/${slow.id}/keys`, ADMIN, { kind: 'secret' }, 201);
    const limited = await openWithKey(slowKey.key);
    await expect.poll(() => limited.page.locator('[data-total="requests"]').textContent()).toBe('0');
    await limited.page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => limited.page.getByRole('alert').textContent()).toContain('Error 429 · rate_limited');
    expect(await limited.page.getByRole('alert').textContent()).toMatch(/Try again in \d+ s/);
    // A rate limit is not the key's fault: it is kept, and the figures already shown stay.
    expect(await limited.page.evaluate(`sessionStorage.getItem('${KEY_STORE}')`)).toBe(slowKey.key);
    await limited.page.context().close();
  });
});
