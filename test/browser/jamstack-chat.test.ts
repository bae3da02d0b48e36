// The example site's chat bubble and search box against the real chat and knowledge-base APIs,
// under `wrangler dev --local`: no language model offline, so the bot answers in the local tier's
// quoting mode — still streamed, still cited.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, watchProblems } from './support/browser';
import { issuePublishableKey, serveExample, type ExampleSite } from './support/example-site';
import { createTenant, startLocalServer, type LocalServer, type LocalTenant } from './support/local-server';

const SCREENSHOTS = 'test-results';
const STATE_DIR = '.wrangler/jamstack-chat-browser-test-state';

const DOCUMENTS = [
  { title: 'Shipping times', url: 'https://help.example.com/shipping', text: 'Standard shipping takes three to seven days. Express shipping arrives the next business day if you order before 2 pm.' },
  { title: 'Refund policy', url: 'https://help.example.com/refunds', text: 'Refunds are issued within five business days after the returned item reaches our warehouse. Gift cards cannot be refunded.' },
];

async function createHelpCentre(server: LocalServer, tenant: LocalTenant): Promise<string> {
  const kb = await server.json<{ id: string }>('POST', '/v1/kb', tenant.auth, { name: 'Help centre', embedding: 'local' }, 201);
  for (const document of DOCUMENTS) await server.json('POST', `/v1/kb/${kb.id}/documents`, tenant.auth, { ...document, format: 'text' }, 201);
  return kb.id;
}

async function createSupportBot(server: LocalServer, tenant: LocalTenant, kbId: string): Promise<string> {
  const bot = await server.json<{ id: string }>('POST', '/v1/bots', tenant.auth, { name: 'Acme support', instructions: 'Answer questions about Acme orders.', knowledge_bases: [kbId] }, 201);
  return bot.id;
}

let server: LocalServer;
let browser: Browser;
let site: ExampleSite;

async function openSite(): Promise<{ page: Page; problems: string[] }> {
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 850 } })).newPage();
  const problems = await watchProblems(page);
  await page.goto(`${site.origin}/`);
  await page.locator('body[data-ready="true"]').waitFor();
  return { page, problems };
}

describe('the example site with chat and search', () => {
  beforeAll(async () => {
    server = await startLocalServer({ stateDir: STATE_DIR });
    const workerBase = `http://127.0.0.1:${server.port}`;
    const tenant = await createTenant(server, 'jamstack-chat-browser-test');
    const kb = await createHelpCentre(server, tenant);
    const bot = await createSupportBot(server, tenant, kb);
    site = await serveExample(workerBase);
    site.useKey(await issuePublishableKey(server, tenant.id, [site.origin], { scopes: ['chat', 'search', 'sentiment'] }), { kb, bot });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await server?.stop();
  });

  it('streams a chat answer with a citation', async () => {
    const { page, problems } = await openSite();
    await page.getByRole('button', { name: 'Ask Acme' }).click();
    await page.getByLabel('Message').fill('How long does express shipping take?');
    await page.keyboard.press('Enter');
    const log = page.getByRole('log');
    await expect.poll(() => log.getAttribute('aria-busy'), { timeout: 30_000 }).toBeNull();
    const answer = log.locator('.msg.assistant').last();
    expect(await answer.textContent()).toMatch(/\[1\]/);
    expect(await answer.getAttribute('role')).toBeNull(); // not an error
    const sources = log.getByRole('list', { name: 'Sources' });
    expect(await sources.getByRole('link', { name: 'Shipping times' }).getAttribute('href')).toBe('https://help.example.com/shipping');
    await page.screenshot({ path: `${SCREENSHOTS}/jamstack-chat.png`, fullPage: true });
    expect(problems).toEqual([]);
  });

  it('shows a handoff once when the visitor asks for a person', async () => {
    const { page, problems } = await openSite();
    await page.getByRole('button', { name: 'Ask Acme' }).click();
    await page.getByLabel('Message').fill('I want to talk to a human agent please');
    await page.keyboard.press('Enter');
    const log = page.getByRole('log');
    await expect.poll(() => log.getAttribute('aria-busy'), { timeout: 30_000 }).toBeNull();
    expect(await log.getByRole('note').allTextContents()).toEqual(['Handing over to a person.']);
    const answer = (await log.locator('.msg.assistant').last().textContent()) ?? '';
    expect(answer.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('returns search results from the knowledge base', async () => {
    const { page, problems } = await openSite();
    await page.getByLabel('Search the help centre').fill('refund gift card');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'result' }).textContent()).toMatch(/^\d+ results? for “refund gift card”$/);
    expect(await page.locator('minnow-search').getByRole('listitem').first().textContent()).toContain('Refund policy');
    await page.screenshot({ path: `${SCREENSHOTS}/jamstack-search.png`, fullPage: true });
    expect(problems).toEqual([]);
  });
});
