import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { TASK_NAMES } from '../../src/contracts/task-names';
import { call } from '../support/api';

/** The SDK's budget: what a site pays to add minnow, gzipped as browsers receive it. */
const SDK_GZIP_BUDGET_BYTES = 6 * 1024;

async function gzippedSize(text: string): Promise<number> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

describe('browser SDK and components', () => {
  it('serves /sdk.js as a cross-origin ES module within its gzipped size budget', async () => {
    const response = await call('/sdk.js', { headers: { origin: 'https://shop.example' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('x-typescript-types')).toBe('/sdk.d.ts');
    const source = await response.text();
    expect(source).toMatch(/export\s*\{/);
    expect(await gzippedSize(source)).toBeLessThan(SDK_GZIP_BUDGET_BYTES);
  });

  it('has one method per task the server serves', async () => {
    const source = await (await call('/sdk.js')).text();
    for (const task of TASK_NAMES) expect(source, task).toContain(`"${task}"`);
    const types = await (await call('/sdk.d.ts')).text();
    for (const task of TASK_NAMES) expect(types, task).toMatch(new RegExp(`\\n\\s+${task}\\(body:`));
    expect(types).toContain('export declare function createClient(options: ClientOptions): MinnowClient;');
    expect(types).toContain('export declare class MinnowError extends Error');
    expect(types).not.toMatch(/^import /m);
  });

  it('serves /components.js, which loads the SDK next to it', async () => {
    const response = await call('/components.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const source = await response.text();
    expect(source).toMatch(/from\s*"\.\/sdk\.js"/);
    expect(source).toContain('minnow-chat');
    expect(source).toContain('minnow-search');
    expect(source).not.toMatch(/innerHTML|insertAdjacentHTML|document\.write/);
  });

  it('revalidates with an ETag', async () => {
    const first = await call('/sdk.js');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await call('/sdk.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });
});

describe('playground', () => {
  it('is the home page, under a strict CSP that allows only its own script, style and /sdk.js', async () => {
    const response = await call('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'self' 'sha256-[^']+'(;|$)/);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    for (const task of TASK_NAMES) expect(html).toContain(`"${task}":`);
    expect(html).toContain('<meta name="minnow-playground-key" content="">');
  });

  it('puts only a publishable PLAYGROUND_KEY in the page, never a secret key', async () => {
    const app = createApp();
    const page = (key: string) => app.request('/', {}, { ...env, PLAYGROUND_KEY: key }, { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext);
    const publishable = 'pk_' + 'a'.repeat(32);
    expect(await (await page(publishable)).text()).toContain(`<meta name="minnow-playground-key" content="${publishable}">`);
    const secret = 'sk_' + 'b'.repeat(32);
    const html = await (await page(secret)).text();
    expect(html).not.toContain(secret);
    expect(html).toContain('<meta name="minnow-playground-key" content="">');
  });
});
