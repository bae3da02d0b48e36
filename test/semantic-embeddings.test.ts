import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { localEmbedder, type LocalEmbedder } from '../src/providers/local/semantic';
import { cosineSimilarity } from '../src/lib/vectors';
import { wordVectors } from '../src/providers/local/semantic/load';
import type { WordVectors } from '../src/providers/local/semantic/artifact';
import { SIF, sentenceEmbedding, type SentenceOptions } from '../src/providers/local/semantic/sif';
import { knownWords } from '../src/providers/local/semantic/tokenize';
import fixture from './fixtures/semantic-pairs.json';

// The semantic local tier runs here inside workerd, loading word-vectors.bin the way the deployed
// Worker does (a bundled Data module). Figures printed below are quoted in docs/local-tier.md.

const pairs = fixture.pairs as [string, string][];
const triples = fixture.triples as [string, string, string][];
const SHIFT = 7; // unrelated pair i = (a[i], b[i + 7]): same sentences, mismatched meaning

let embedder: LocalEmbedder;
let vectors: WordVectors;
let firstLoadMs = 0;

beforeAll(async () => {
  // workerd only advances its clock at I/O, so a timer after the load lets the second reading
  // include the parse (plus ~0 ms of timer).
  const started = Date.now();
  embedder = await localEmbedder(env);
  await new Promise((resolve) => setTimeout(resolve, 0));
  firstLoadMs = Date.now() - started;
  vectors = await wordVectors(env);
});

const norm = (v: Float32Array) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));

describe('semantic local tier: loading', () => {
  it('loads once per isolate and reports its shape', async () => {
    console.log(`semantic local tier: first load (fetch + parse word-vectors.bin) ${firstLoadMs} ms in workerd`);
    expect(await localEmbedder(env)).toBe(embedder); // later calls are free: the same instance
    expect(embedder.dims).toBe(100);
    expect(embedder.vocabularySize).toBe(30_000);
  });

  it('reports embedding throughput (measured, not asserted)', async () => {
    const texts = Array.from({ length: 1000 }, (_, i) => pairs[i % pairs.length]![i % 2]!);
    const started = Date.now();
    embedder.embed(texts);
    await new Promise((resolve) => setTimeout(resolve, 0)); // let workerd's clock catch up
    console.log(`semantic local tier: embedded ${texts.length} short sentences in ${Date.now() - started} ms`);
  });
});

describe('semantic local tier: embeddings', () => {
  it('scores a paraphrase above unrelated sentences', () => {
    const [pkg, delivery, password] = embedder.embed([
      'my package never arrived',
      'the delivery is late',
      'I want to change my password',
    ]) as [Float32Array, Float32Array, Float32Array];
    const related = cosineSimilarity(pkg, delivery);
    console.log(`package~delivery ${related.toFixed(3)}, package~password ${cosineSimilarity(pkg, password).toFixed(3)}, delivery~password ${cosineSimilarity(delivery, password).toFixed(3)}`);
    expect(related).toBeGreaterThan(cosineSimilarity(pkg, password) + 0.1);
    expect(related).toBeGreaterThan(cosineSimilarity(delivery, password) + 0.1);
  });

  it('returns unit vectors, one per text, in order, identical on every call', () => {
    const texts = pairs.map((pair) => pair[0]);
    const batch = embedder.embed(texts);
    expect(batch).toHaveLength(texts.length);
    for (const vector of batch) expect(norm(vector)).toBeCloseTo(1, 5);
    const again = embedder.embed([...texts].reverse()).reverse();
    const oneByOne = texts.map((text) => embedder.embed([text])[0]);
    expect(again).toEqual(batch);
    expect(oneByOne).toEqual(batch);
  });

  it('gives the zero vector to text with no known words, and cosine 0 against it', () => {
    const [empty, digits, unknown, otherScript, known] = embedder.embed(['', '12345 !!!', 'qzxv wvvkq', '日本語のテキスト', 'hello world']) as Float32Array[];
    for (const vector of [empty, digits, unknown, otherScript]) {
      expect(vector).toHaveLength(100);
      expect(norm(vector!)).toBe(0);
      expect(cosineSimilarity(vector!, known!)).toBe(0);
    }
    expect(embedder.embed([])).toEqual([]);
  });

  it('still embeds text made only of stop words (they are damped, not dropped)', () => {
    expect(embedder.knownTokens('Where is it?')).toEqual(['where', 'is', 'it']);
    const [vector] = embedder.embed(['Where is it?']) as [Float32Array];
    expect(norm(vector)).toBeCloseTo(1, 5);
  });

  it('tokenizes to match the vocabulary: contractions, diacritics, inflections, unknown words', () => {
    expect(embedder.knownTokens('')).toEqual([]);
    // No one-letter words in the vocabulary ("I", "a"); contractions are expanded.
    expect(embedder.knownTokens("I can't log in, don't ask")).toEqual(['can', 'not', 'log', 'in', 'do', 'not', 'ask']);
    expect(embedder.knownTokens('We’re at the CAFÉ')).toEqual(['we', 'are', 'at', 'the', 'cafe']);
    expect(embedder.knownTokens("John's e-mail")).toEqual(['john', 'mail']);
    // Out-of-vocabulary words are dropped, after trying to strip an inflection the vocabulary lacks.
    expect(vectors.index.has('overflowed')).toBe(false);
    expect(embedder.knownTokens('qzxv overflowed naps')).toEqual(['overflow', 'nap']);
  });

  it('rejects vectors of different sizes in cosine', () => {
    expect(() => cosineSimilarity(new Float32Array(3), new Float32Array(4))).toThrow(RangeError);
  });
});

describe('semantic local tier: quality on hand-written pairs (test/fixtures/semantic-pairs.json)', () => {
  const variants: Array<[string, SentenceOptions]> = [
    ['plain average', { weighting: 'uniform', removeCommonComponent: false }],
    ['SIF weights only', { weighting: 'sif', removeCommonComponent: false }],
    ['SIF + common component removed', SIF],
  ];

  function measure(options: SentenceOptions) {
    const embed = (text: string) => sentenceEmbedding(vectors, knownWords(text, vectors.index).map((w) => w.row), options);
    const a = pairs.map((pair) => embed(pair[0]));
    const b = pairs.map((pair) => embed(pair[1]));
    const n = pairs.length;
    const paraphrase = a.map((v, i) => cosineSimilarity(v, b[i]!));
    const unrelated = a.map((v, i) => cosineSimilarity(v, b[(i + SHIFT) % n]!));
    // top-1: among all 30 second sentences, is a[i]'s own paraphrase the closest?
    const top1 = a.filter((v, i) => b.every((w, j) => j === i || cosineSimilarity(v, w) < cosineSimilarity(v, b[i]!))).length;
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const triplesWon = triples.filter(([anchor, same, distractor]) => {
      const [x, y, z] = [embed(anchor), embed(same), embed(distractor)];
      return cosineSimilarity(x, y) > cosineSimilarity(x, z);
    }).length;
    const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}..${Math.max(...xs).toFixed(2)}`;
    return { paraphrase: mean(paraphrase), unrelated: mean(unrelated), top1, n, triplesWon, ranges: `paraphrase ${range(paraphrase)}, unrelated ${range(unrelated)}` };
  }

  it('SIF with the common component removed separates paraphrases from unrelated pairs', () => {
    const rows = variants.map(([name, options]) => ({ name, ...measure(options) }));
    for (const r of rows) {
      console.log(`${r.name.padEnd(32)} paraphrase ${r.paraphrase.toFixed(3)}  unrelated ${r.unrelated.toFixed(3)}  gap ${(r.paraphrase - r.unrelated).toFixed(3)}  top-1 ${r.top1}/${r.n}  triples ${r.triplesWon}/${triples.length}  (${r.ranges})`);
    }
    const [plain, , sif] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    expect(sif.paraphrase - sif.unrelated).toBeGreaterThan(0.35);
    expect(sif.paraphrase - sif.unrelated).toBeGreaterThan(plain.paraphrase - plain.unrelated);
    expect(sif.top1).toBeGreaterThanOrEqual(24);
    expect(sif.top1).toBeGreaterThanOrEqual(plain.top1);
  });
});
