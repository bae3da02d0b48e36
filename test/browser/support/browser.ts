import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, used when the machine has it (`apt-get install chromium`); never required. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** The version of @sparticuz/chromium installed, which names the folder its browser is unpacked to. */
const SPARTICUZ_VERSION: string = JSON.parse(readFileSync(new URL('../../../node_modules/@sparticuz/chromium/package.json', import.meta.url), 'utf8')).version;

/**
 * Where the Chromium that @sparticuz/chromium ships (brotli-packed inside the npm package) is
 * unpacked: one folder per package version, so a different version is never picked up by mistake.
 */
export const SPARTICUZ_DIR = join(tmpdir(), `minnow-sparticuz-chromium-${SPARTICUZ_VERSION}`);

/**
 * The packaged Chromium, unpacked once. @sparticuz/chromium unpacks into `os.tmpdir()` and treats an
 * existing file as done, so two test files unpacking at once could launch a half-written binary:
 * each unpacks into a folder of its own and renames it into place (atomic), and the loser of that
 * race removes its copy and uses the winner's.
 */
export async function sparticuzExecutable(): Promise<string> {
  const executable = join(SPARTICUZ_DIR, 'chromium');
  if (existsSync(executable)) return executable;
  const partial = mkdtempSync(`${SPARTICUZ_DIR}.partial-`);
  const previous = process.env.TMPDIR;
  // The library reads os.tmpdir() synchronously before its first await, so the change is brief.
  process.env.TMPDIR = partial;
  let unpacking: Promise<string>;
  try {
    unpacking = sparticuz.executablePath();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
  const unpacked = await unpacking;
  if (unpacked !== join(partial, 'chromium')) throw new Error(`@sparticuz/chromium unpacked to ${unpacked}, expected ${partial}`);
  try {
    renameSync(partial, SPARTICUZ_DIR);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(executable)) throw error;
  }
  return executable;
}

// Headless and quiet: no sandbox (CI containers run as root), no GPU, and no background traffic to
// Google services (the machine may have no internet at all).
const QUIET = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

/**
 * @sparticuz/chromium's recommended flags (made for AWS Lambda) minus the ones that switch web
 * security off — the tests check CORS, origins and CSP as a visitor's browser enforces them — and
 * minus `--single-process`, which Lambda needs but which crashed the browser here as the dashboard
 * test opened its second page.
 */
const DROPPED = new Set(['--disable-web-security', '--allow-running-insecure-content', '--disable-site-isolation-trials', '--single-process']);
export const sparticuzArgs = (): string[] => sparticuz.args.filter((flag) => !DROPPED.has(flag));

/** Which Chromium the browser tests drive, and with which flags: Debian's if present, else the packaged one. */
export async function chromiumLaunchOptions(): Promise<{ executablePath: string; args: string[] }> {
  if (existsSync(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, args: ['--headless', ...QUIET] };
  return { executablePath: await sparticuzExecutable(), args: [...sparticuzArgs(), ...QUIET] };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch(await chromiumLaunchOptions());
}

/**
 * Collects what a page complains about: uncaught errors, console errors and warnings (a CSP
 * violation is reported as a console error) and `securitypolicyviolation` events.
 */
export async function watchProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()}`);
  });
  await page.exposeFunction('__reportViolation', (text: string) => problems.push(`csp: ${text}`));
  // An init script runs before the page's own script; CDP-injected, so the page's CSP does not apply to it.
  await page.addInitScript("document.addEventListener('securitypolicyviolation', (e) => window.__reportViolation(e.violatedDirective + ' ' + e.blockedURI))");
  return problems;
}
