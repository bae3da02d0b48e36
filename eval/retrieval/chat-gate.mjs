#!/usr/bin/env node
// `node eval/retrieval/chat-gate.mjs`: how the offline chat's relevance gate (quote only when a
// retrieved passage shares a content word with the question; src/providers/local/chat-quote.ts)
// behaves on the retrieval set's 102 on-topic questions and 30 off-topic ones (off-topic.mjs).
// Retrieval here is the offline stand-in (80-word windows ranked by BM25 plus, for the
// word-blind case, the windows nearest by nothing at all: the first three of the knowledge base),
// so the figures bound the gate rather than measure minnow's hybrid search end to end.
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
  await build({ entryPoints: ['src/providers/local/chat-quote.ts'], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error' });
  const { sharesWordsWithQuestion } = await import(outfile);
  const { documents, questions } = loadDataset();
  const kbs = [...new Set(documents.map((doc) => doc.kb))];
  const search = new Map(kbs.map((kb) => [kb, windowBm25(documents.filter((doc) => doc.kb === kb))]));
  const sourcesFor = (kb, question) => search.get(kb)(question, 3).map((chunk, index) => ({ index: index + 1, title: chunk.title, text: chunk.text }));
  const kbOf = new Map(documents.map((doc) => [doc.id, doc.kb]));
  // On-topic: the gold passage alone (the hardest case: one sentence), and the top 3 windows of its knowledge base.
  const goldRefused = questions.filter((q) => !sharesWordsWithQuestion([{ index: 1, title: '', text: q.passage }], q.question)).length;
  const retrievedRefused = questions.filter((q) => !sharesWordsWithQuestion(sourcesFor(kbOf.get(q.document), q.question), q.question)).length;
  // Off-topic: asked of every knowledge base; top 3 windows by BM25, or the first 3 when BM25 finds nothing.
  let offAnswered = 0;
  let offAsked = 0;
  const answeredExamples = [];
  for (const question of offTopicQuestions) {
    for (const kb of kbs) {
      offAsked++;
      let sources = sourcesFor(kb, question);
      if (sources.length === 0) sources = documents.filter((doc) => doc.kb === kb).slice(0, 3).map((doc, index) => ({ index: index + 1, title: doc.title, text: doc.plain.slice(0, 500) }));
      if (sharesWordsWithQuestion(sources, question)) {
        offAnswered++;
        if (answeredExamples.length < 8) answeredExamples.push(`${kb}: ${question}`);
      }
    }
  }
  console.log(`on-topic questions refused, gold passage only: ${goldRefused}/${questions.length}`);
  console.log(`on-topic questions refused, top-3 BM25 windows: ${retrievedRefused}/${questions.length}`);
  console.log(`off-topic questions still quoted (30 questions × ${kbs.length} knowledge bases): ${offAnswered}/${offAsked}`);
  for (const example of answeredExamples) console.log(`  quoted: ${example}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
