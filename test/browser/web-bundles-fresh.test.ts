// src/web/generated/bundles.ts is committed (so a fresh clone needs no build step); this fails
// when it no longer matches its sources. Fix: `npm run build:web`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildWebBundles, OUTPUT } from '../../scripts/build-web.mjs';

describe('generated SDK and components', () => {
  it('match src/web/sdk and src/web/components (run `npm run build:web` if not)', async () => {
    expect(readFileSync(OUTPUT, 'utf8') === (await buildWebBundles()), 'src/web/generated/bundles.ts is stale: run `npm run build:web`').toBe(true);
  });
});
