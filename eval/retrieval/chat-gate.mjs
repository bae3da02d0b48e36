#!/usr/bin/env node
// `node eval/retrieval/chat-gate.mjs`: how the offline chat's relevance gate (quote only when a
// retrieved passage shares a content word with the question that is not among the
// SHARED_WORD_MIN_RANK most frequent words; src/providers/local/chat-quote.ts) behaves on the
// retrieval set's 102 on-topic questions and 30 off-topic ones (off-topic.mjs), each asked of all
// three knowledge bases. Even-indexed questions are the dev half (the cut was chosen there), odd
// the test half. `--rank=N` tries another cut. Retrieval here is the offline stand-in (80-word
// windows ranked by BM25, the top 3), which only returns windows sharing a word with the
// question: the hard case for a word-overlap gate.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset } from './dataset.mjs';
import { windowBm25 } from './offline.mjs';
import { offTopicQuestions } from './off-topic.mjs';

const dir = mkdtempSync(join(tmpdir(), 'minnow-gate-'));
try {
  const outfile = join(dir, 'gate.mjs');
  const entry = join(dir, 'entry.ts');
  const { writeFileSync, readFileSync } = await import('node:fs');
  const root = new URL('../../', import.meta.url).pathname;
  writeFileSync(entry, `export * from '${root}src/providers/local/chat-quote.ts';\nexport { localEmbedder } from '${root}src/providers/local/semantic/index.ts';\n`);
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error' });
  const module = await import(outfile);
  const bytes = readFileSync(new URL('../../assets/word-vectors.bin', import.meta.url));
  const embedder = await module.localEmbedder({ ASSETS: { fetch: async () => new Response(bytes) } });
  const cut = Number(process.argv.find((arg) => arg.startsWith('--rank='))?.slice(7) ?? module.SHARED_WORD_MIN_RANK);
  const rank = (word) => {
    const r = embedder.frequencyRank(word);
    // The gate compares with SHARED_WORD_MIN_RANK; shifting ranks tries another cut with the same code.
    return r === undefined ? undefined : r + module.SHARED_WORD_MIN_RANK - cut;
  };
  const sharesWordsWithQuestion = (sources, question) => module.sharesWordsWithQuestion(sources, question, rank);
  const { documents, questions } = loadDataset();
  const kbs = [...new Set(documents.map((doc) => doc.kb))];
  const search = new Map(kbs.map((kb) => [kb, windowBm25(documents.filter((doc) => doc.kb === kb))]));
  const sourcesFor = (kb, question) => search.get(kb)(question, 3).map((chunk, index) => ({ index: index + 1, title: chunk.title, text: chunk.text }));
  const kbOf = new Map(documents.map((doc) => [doc.id, doc.kb]));
  console.log(`shared word must be rarer than the ${cut} most frequent words`);
  for (const half of [0, 1]) {
    const asked = questions.filter((_, index) => index % 2 === half);
    const off = offTopicQuestions.filter((_, index) => index % 2 === half);
    const refused = asked.filter((q) => !sharesWordsWithQuestion(sourcesFor(kbOf.get(q.document), q.question), q.question));
    const quoted = off.flatMap((question) => kbs.filter((kb) => sharesWordsWithQuestion(sourcesFor(kb, question), question)).map((kb) => `${kb}: ${question}`));
    console.log(`${half === 0 ? 'dev ' : 'test'}: on-topic refused ${refused.length}/${asked.length}; off-topic quoted ${quoted.length}/${off.length * kbs.length}`);
    for (const q of refused) console.log(`  refused: ${q.question}`);
    for (const example of quoted) console.log(`  quoted: ${example}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
