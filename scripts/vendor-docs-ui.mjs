#!/usr/bin/env node
// Vendors the API reference viewer that /docs serves: the one-file browser build of
// @scalar/api-reference (dist/browser/standalone.js, MIT), copied into assets/docs/ so the Worker
// serves it as a static asset (no CDN, works offline, does not grow the Worker script).
//
// The package is not a dependency: its tree is large and wants Node >= 22. This script fetches the
// pinned version's tarball with the npm client (`npm pack`), checks it against the pinned registry
// integrity, and extracts the script; the package ships no LICENSE file, so a notice is written from
// its package.json (license, author, repository). To upgrade: change VERSION and INTEGRITY (from
// `npm view @scalar/api-reference@<version> dist.integrity`), run `node scripts/vendor-docs-ui.mjs`,
// update SCALAR_VERSION in src/routes/docs.ts, delete the old file, run the browser test
// (test/browser/docs.test.ts), commit.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PACKAGE = '@scalar/api-reference';
const VERSION = '1.76.0';
const INTEGRITY = 'sha512-pjqwnzmA9YK3ZX+IZSICMsywm4qI6HLSngR2py9H6TvFApHHuJjkTAd+gFJfnqJDzJuro8k7ji6JCtJ2U+Byng==';
const OUT_DIR = new URL('../assets/docs/', import.meta.url);

const work = mkdtempSync(join(tmpdir(), 'vendor-docs-ui-'));
try {
  const [packed] = JSON.parse(execFileSync('npm', ['pack', `${PACKAGE}@${VERSION}`, '--json', '--pack-destination', work], { encoding: 'utf8' }));
  const tarball = join(work, packed.filename);
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (integrity !== INTEGRITY) throw new Error(`${PACKAGE}@${VERSION}: integrity ${integrity}, pinned ${INTEGRITY}`);
  execFileSync('tar', ['-xzf', tarball, '-C', work, 'package/dist/browser/standalone.js', 'package/package.json']);
  mkdirSync(OUT_DIR, { recursive: true });
  const script = new URL(`scalar-api-reference-${VERSION}.js`, OUT_DIR);
  copyFileSync(join(work, 'package/dist/browser/standalone.js'), script);
  const manifest = JSON.parse(readFileSync(join(work, 'package/package.json'), 'utf8'));
  const notice = [
    `scalar-api-reference-${VERSION}.js is dist/browser/standalone.js of the npm package ${PACKAGE}@${VERSION},`,
    `unchanged (registry integrity ${INTEGRITY}).`,
    `License: ${manifest.license}. Author: ${typeof manifest.author === 'string' ? manifest.author : manifest.author?.name}.`,
    `Source: ${manifest.repository?.url ?? manifest.repository} (${manifest.repository?.directory ?? ''}), ${manifest.homepage ?? ''}`,
    '',
  ].join('\n');
  writeFileSync(new URL('scalar-api-reference-NOTICE.txt', OUT_DIR), notice);
  const sha256 = createHash('sha256').update(readFileSync(script)).digest('hex');
  console.log(`assets/docs/scalar-api-reference-${VERSION}.js  sha256 ${sha256}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
