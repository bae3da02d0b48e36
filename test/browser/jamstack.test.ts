import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchProblems } from './support/browser';
import { issuePublishableKey, serveExample, type ExampleSite } from './support/example-site';
import { createTenant, startLocalServer, type LocalServer } from './support/local-server';

const SCREENSHOTS = 'test-results';
const STATE_DIR = '.wrangler/jamstack-browser-test-state';

let server: LocalServer;
let browser: Browser;
let workerBase: string;
let allowedSite: ExampleSite;
let otherSite: ExampleSite;
let key: string;

async function open(url: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 850 } });
  const page = await context.newPage();
  const problems = await watchProblems(page);
  await page.goto(url);
  return { page, problems };
}

beforeAll(async () => {
  server = await startLocalServer({ stateDir: STATE_DIR });
  workerBase = `http://127.0.0.1:${server.port}`;
  const tenant = await createTenant(server, 'jamstack-browser-test');
  // The same static site on two ports: two origins, and the key allows only the first (and the
  // Worker's own origin, for the playground).
  [allowedSite, otherSite] = await Promise.all([serveExample(workerBase), serveExample(workerBase)]);
  key = await issuePublishableKey(server, tenant.id, [allowedSite.origin, workerBase], { visitor_limits: { rpm: 600, burst: 100 } });
  allowedSite.useKey(key);
  otherSite.useKey(key);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await allowedSite?.close();
  await otherSite?.close();
  await server?.stop();
});

describe('the example site (examples/jamstack) on another origin', () => {
  it('shows the sentiment of a review when its origin is allowed', async () => {
    const { page, problems } = await open(`${allowedSite.origin}/`);
    await page.locator('body[data-ready="true"]').waitFor();
    await page.getByLabel('Your review').fill('I love this mug, it is wonderful and keeps my tea hot!');
    await page.getByRole('button', { name: 'Check the tone' }).click();
    await expect.poll(() => page.locator('#review-result').textContent()).toMatch(/^Sentiment: positive \(\d+% confident\)$/);
    expect(await page.locator('#review-error').isHidden()).toBe(true);
    // The components were defined from /components.js and rendered with their labels.
    expect(await page.evaluate("Boolean(customElements.get('minnow-chat') && customElements.get('minnow-search'))")).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: 'Ask Acme' }).count()).toBe(1);
    expect(await page.getByLabel('Search the help centre').count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}/jamstack-allowed-origin.png`, fullPage: true });
    expect(problems).toEqual([]);
  });

  it('shows a clear error naming the origin to allow when its origin is not allowed', async () => {
    const { page } = await open(`${otherSite.origin}/`);
    await page.locator('body[data-ready="true"]').waitFor();
    await page.getByRole('button', { name: 'Check the tone' }).click();
    const error = page.getByRole('alert');
    await expect.poll(() => error.textContent()).toContain('origin_not_allowed');
    const text = (await error.textContent())!;
    expect(text).toContain(`add "${otherSite.origin}" to the key's origins`);
    expect(text).toMatch(/\(request req_[0-9a-f]{32}\)$/);
    expect(await page.locator('#review-result').textContent()).toBe('');
    await page.screenshot({ path: `${SCREENSHOTS}/jamstack-disallowed-origin.png`, fullPage: true });
  });

  it('opens and closes the chat bubble from the keyboard, with focus where a visitor expects it', async () => {
    const { page, problems } = await open(`${allowedSite.origin}/`);
    await page.locator('body[data-ready="true"]').waitFor();
    const bubble = page.getByRole('button', { name: 'Ask Acme' });
    await bubble.focus();
    await page.keyboard.press('Enter');
    expect(await bubble.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => page.evaluate("document.querySelector('minnow-chat').shadowRoot.activeElement?.id")).toBe('message');
    expect(await page.getByRole('log').count()).toBe(1);
    expect(await page.getByRole('log').getAttribute('aria-live')).toBe('polite');
    expect(await page.getByRole('log').textContent()).toContain('Ask me anything');
    await page.keyboard.press('Escape');
    expect(await bubble.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate('document.activeElement?.localName')).toBe('minnow-chat');
    expect(await page.evaluate("document.querySelector('minnow-chat').shadowRoot.activeElement?.getAttribute('aria-controls')")).toBe('panel');
    expect(problems).toEqual([]);
  });

  it('themes the components through CSS custom properties', async () => {
    const { page } = await open(`${allowedSite.origin}/`);
    await page.locator('body[data-ready="true"]').waitFor();
    const background = () => page.evaluate("getComputedStyle(document.querySelector('minnow-chat').shadowRoot.querySelector('.bubble')).backgroundColor");
    expect(await background()).toBe('rgb(122, 60, 255)'); // style.css: --minnow-accent: #7a3cff
    await page.evaluate("document.querySelector('minnow-chat').style.setProperty('--minnow-accent', '#008000')");
    expect(await background()).toBe('rgb(0, 128, 0)');
  });
});

describe('the playground at /', () => {
  it('runs tasks with a publishable key under its strict CSP', async () => {
    const { page, problems } = await open(`${workerBase}/`);
    await page.getByLabel('Publishable key').fill(key);
    await page.getByLabel('Task').selectOption('sentiment');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.locator('#result').textContent()).toContain('"task": "sentiment"');
    const answer = JSON.parse((await page.locator('#result').textContent())!);
    expect(answer.results.map((result: { label: string }) => result.label)).toEqual(['positive', 'negative']);
    expect(await page.locator('#status').textContent()).toMatch(/^sentiment: local \/ /);
    expect(await page.locator('#snippet').textContent()).toContain('await minnow.sentiment({"text":');

    await page.getByLabel('Task').selectOption('language');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.locator('#result').textContent()).toContain('"task": "language"');
    await page.screenshot({ path: `${SCREENSHOTS}/playground.png`, fullPage: true });
    expect(problems).toEqual([]);
  });

  it('shows API errors with their code and request id', async () => {
    const { page } = await open(`${workerBase}/`);
    await page.getByLabel('Publishable key').fill('pk_00000000000000000000000000000000');
    await page.getByRole('button', { name: 'Run' }).click();
    const error = page.getByRole('alert');
    await expect.poll(() => error.textContent()).toContain('401 invalid_api_key');
    expect(await error.textContent()).toMatch(/Request id: req_[0-9a-f]{32}/);
  });
});
