// The Hugging Face stand-in (test/fakes/hf-stub-server.ts) for scripts that drive the real Worker
// with HF as a paid provider (bench:cost, test:soak): bundled to a temporary .mjs and started here.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Starts the stand-in in this process; resolves to `{ baseUrl, close() }` as `startHfStub` does. */
export async function startHfStandIn() {
  const dir = mkdtempSync(join(tmpdir(), 'minnow-hf-stub-'));
  const outfile = join(dir, 'hf-stub-server.mjs');
  try {
    await build({ entryPoints: ['test/fakes/hf-stub-server.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'error' });
    const { startHfStub } = await import(pathToFileURL(outfile).href);
    return await startHfStub();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
