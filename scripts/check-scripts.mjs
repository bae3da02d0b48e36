#!/usr/bin/env node
// Parses every Node script the repository runs by hand (`.mjs` under scripts/, bench/, eval/ and
// test/): none is type-checked or run by `npm test`, so a syntax error in one (a stray apostrophe
// in a string) would otherwise wait for the next person who runs it. `node --check` parses
// without running. Prints each failure and exits 1; else one summary line.
//
//   node scripts/check-scripts.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** The tracked scripts; without git (an exported tree), every .mjs outside node_modules and dot-folders. */
function scripts() {
  try {
    return execFileSync('git', ['ls-files', '-z', '--', '*.mjs'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\0').filter(Boolean);
  } catch {
    const found = [];
    const walk = (dir) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.mjs')) found.push(relative(root, path));
      }
    };
    walk(root);
    return found;
  }
}

const tracked = scripts();
let failed = 0;
for (const file of tracked) {
  const check = spawnSync(process.execPath, ['--check', file], { cwd: root, encoding: 'utf8' });
  if (check.status !== 0) {
    failed++;
    console.error(`${file}:\n${check.stderr.trim()}\n`);
  }
}
if (failed > 0) {
  console.error(`${failed} of ${tracked.length} scripts do not parse`);
  process.exit(1);
}
console.log(`${tracked.length} scripts parse`);
