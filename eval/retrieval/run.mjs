#!/usr/bin/env node
// `npm run eval:retrieval`: how well knowledge-base search finds the passage that answers a
// support question, on a hand-written set (eval/retrieval/README.md): help documents of three
// fictional companies, one knowledge base each, and questions labelled with their document and the
// verbatim passage that answers them.
//
// Default: starts the real Worker (`wrangler dev --local`, fresh state in a temp dir), creates a
// tenant and one knowledge base per company with the `local` embedding, ingests every document and
// asks every question of its company's knowledge base in each search mode (keyword = BM25 only,
// vector, hybrid) with top_k 10. Prints recall@1/3/5 and MRR@10 on passage hits (metrics.mjs
// defines a hit) and recall@5 on the document alone.
//
//   --check              validate the dataset and score a naive in-script BM25 (offline.mjs); no server
//   --embedding <model>  also evaluate knowledge bases with that embedding model (vector, hybrid)
//   --base-url <url> --key <sk_…>   run against a deployed minnow instead of a local server
//   --verbose            print the worst misses per row
// Exits non-zero on errors (bad dataset, failed request, an --embedding the server cannot use),
// never on low scores.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTenant, startLocalServer } from '../../scripts/lib/local-server.mjs';
import { loadDataset } from './dataset.mjs';
import { isHit, judge, summarize, tokens } from './metrics.mjs';
import { offlineSearch } from './offline.mjs';

const TOP_K = 10;
const { values: args } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    embedding: { type: 'string' },
    'base-url': { type: 'string' },
    key: { type: 'string' },
  },
});

let server;
let stateDir;
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => shutdown().finally(() => process.exit(130)));
async function shutdown() {
  await server?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
}

/** JSON over fetch with the tenant's secret key; throws unless the status is one of `expected`. */
function client(baseUrl, key) {
  const base = baseUrl.replace(/\/+$/, '');
  return async (method, path, body, expected = [200]) => {
    const headers = { Authorization: `Bearer ${key}`, 'Cache-Control': 'no-cache', ...(body ? { 'Content-Type': 'application/json' } : {}) };
    const res = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (!expected.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : {};
  };
}

/** Ingests documents into one knowledge base; returns server document id → dataset id. */
async function ingest(api, kbId, documents) {
  const ids = new Map();
  for (const doc of documents) {
    const body = { title: doc.title, text: doc.text, format: doc.format, metadata: { eval_id: doc.id }, ...(doc.url ? { url: doc.url } : {}) };
    let created = await api('POST', `/v1/kb/${kbId}/documents`, body, [200, 201, 202]);
    const deadline = Date.now() + 300_000;
    while (created.status === 'processing') {
      if (Date.now() > deadline) throw new Error(`document ${doc.id} still processing after 300 s`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      created = await api('GET', `/v1/kb/${kbId}/documents/${created.id}`);
    }
    if (created.status !== 'ready') throw new Error(`document ${doc.id}: status ${created.status}`);
    ids.set(created.id, doc.id);
  }
  return ids;
}

/** Asks every question; `search(question)` returns ranked results carrying `eval_id`. */
async function evaluate(questions, search) {
  const judged = [];
  for (const question of questions) {
    const results = await search(question);
    judged.push({ question, results, ...judge(results, question) });
  }
  // Chunk size puts the passage metrics in context: with whole-document chunks a passage hit is only a document hit.
  const lengths = judged.flatMap((j) => j.results.map((r) => tokens(r.text ?? '').length)).sort((a, b) => a - b);
  return { ...summarize(judged), chunkWords: lengths[Math.floor(lengths.length / 2)] ?? 0, judged };
}

function printTable(rows) {
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  console.log('\n| mode | embedding | queries | recall@1 | recall@3 | recall@5 | MRR@10 | doc recall@5 | chunk words (median) |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.mode} | ${r.embedding} | ${r.queries} | ${pct(r.r1)} | ${pct(r.r3)} | ${pct(r.r5)} | ${r.mrr10.toFixed(3)} | ${pct(r.docR5)} | ${r.chunkWords} |`);
}

/** The misses whose labelled document ranks worst (absent first), with what came instead. */
function printMisses(rows, count = 8) {
  for (const row of rows) {
    const misses = row.judged.filter((j) => j.rank === null || j.rank > 5).sort((a, b) => (b.docRank ?? 99) - (a.docRank ?? 99));
    if (misses.length === 0) continue;
    console.log(`\n${row.mode} / ${row.embedding}: ${misses.length} questions without a passage hit in the top 5; worst ${Math.min(count, misses.length)}:`);
    for (const j of misses.slice(0, count)) {
      console.log(`  ${j.question.id} "${j.question.question}" → wants ${j.question.document} (hit rank ${j.rank ?? '-'}, doc rank ${j.docRank ?? '-'})`);
      for (const r of j.results.slice(0, 3)) console.log(`      got ${r.eval_id ?? r.document_id} "${(r.text ?? '').replace(/\s+/g, ' ').slice(0, 70)}…"`);
    }
  }
}

function describeDataset({ documents, questions }) {
  const words = documents.reduce((sum, doc) => sum + doc.words, 0);
  const formats = ['text', 'markdown', 'html'].map((f) => `${documents.filter((doc) => doc.format === f).length} ${f}`);
  const kbs = new Set(documents.map((doc) => doc.kb)).size;
  return `${documents.length} documents in ${kbs} knowledge bases (${formats.join(', ')}; ${words} words), ${questions.length} questions`;
}

/** The hit rule on hand-made cases: half the passage as one run hits, less or scattered does not. */
function checkHitRule() {
  const q = { document: 'd', passage: 'one two three four five six seven eight' };
  const cases = [
    [{ eval_id: 'd', text: 'Intro. One, two; three\nFOUR and more' }, true], // 4 of 8 in a row, case/punctuation ignored
    [{ eval_id: 'd', text: 'five six seven eight. The end.' }, true],
    [{ eval_id: 'd', text: 'one two three x four five' }, false], // runs of 3 and 2
    [{ eval_id: 'e', text: 'one two three four five six seven eight' }, false], // another document
  ];
  for (const [result, expected] of cases) if (isHit(result, q) !== expected) throw new Error(`hit rule self-test failed on ${JSON.stringify(result)}`);
  const judged = [judge([{ eval_id: 'e', text: '' }, { eval_id: 'd', text: 'one two three four' }], q), judge([], q)];
  const m = summarize(judged);
  if (m.r1 !== 0 || m.r3 !== 0.5 || m.mrr10 !== 0.25 || m.docR5 !== 0.5) throw new Error(`metrics self-test failed: ${JSON.stringify(m)}`);
}

async function check(dataset) {
  checkHitRule();
  console.log(`dataset ok: ${describeDataset(dataset)}; every passage is a verbatim, unique substring of its document; hit-rule self-test passed`);
  const search = offlineSearch(dataset.documents);
  const row = { mode: 'offline BM25 (in-script, not minnow)', embedding: '-', ...(await evaluate(dataset.questions, async (q) => search(q, TOP_K))) };
  printTable([row]);
  if (args.verbose) printMisses([row]);
}

/** Creates one knowledge base per company with `embedding`, ingests its documents; kb name → { id, ids }. */
async function buildKnowledgeBases(api, documents, embedding) {
  const kbs = new Map();
  let label;
  for (const name of new Set(documents.map((doc) => doc.kb))) {
    const kb = await api('POST', '/v1/kb', { name: `eval-${name}-${embedding}-${Date.now()}`, embedding }, [201]);
    if (embedding !== 'local' && kb.embedding?.provider === 'local') throw new Error(`the server answered with the local embedding (${kb.embedding.model}) instead`);
    label = `${kb.embedding?.provider ?? '?'}/${kb.embedding?.model ?? '?'} (${kb.embedding?.dimensions ?? '?'}d)`;
    kbs.set(name, { id: kb.id });
  }
  const t0 = Date.now();
  for (const [name, kb] of kbs) kb.ids = await ingest(api, kb.id, documents.filter((doc) => doc.kb === name));
  console.log(`[${label}] ${kbs.size} knowledge bases, ${documents.length} documents ingested in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return { kbs, label };
}

async function main() {
  const dataset = loadDataset();
  if (args.check) return check(dataset);

  let api;
  if (args['base-url']) {
    if (!args.key) throw new Error('--base-url needs --key sk_…');
    api = client(args['base-url'], args.key);
  } else {
    stateDir = mkdtempSync(join(tmpdir(), 'minnow-eval-retrieval-'));
    // A paid provider for --embedding, when this shell has one configured; Workers AI stays off locally.
    const vars = Object.fromEntries(['HF_TOKEN', 'HF_BASE_URL'].filter((name) => process.env[name]).map((name) => [name, process.env[name]]));
    server = await startLocalServer({ stateDir, vars });
    const tenant = await createTenant(server, 'eval-retrieval');
    api = client(`http://127.0.0.1:${server.port}`, tenant.key);
  }
  console.log(`${describeDataset(dataset)}; server ${args['base-url'] ?? 'local (wrangler dev --local)'}`);

  const rows = [];
  const notes = [];
  for (const embedding of ['local', ...(args.embedding ? [args.embedding] : [])]) {
    let built;
    try {
      built = await buildKnowledgeBases(api, dataset.documents, embedding);
    } catch (error) {
      if (embedding === 'local') throw error;
      notes.push(`embedding ${embedding}: NOT evaluated — ${error.message}`);
      process.exitCode = 1;
      continue;
    }
    const { kbs, label } = built;
    // keyword search does not depend on the embedding: asked once, of the local knowledge bases.
    for (const mode of embedding === 'local' ? ['keyword', 'vector', 'hybrid'] : ['vector', 'hybrid']) {
      const search = async (question) => {
        const kb = kbs.get(question.kb);
        const { results } = await api('POST', `/v1/kb/${kb.id}/search`, { query: question.question, top_k: TOP_K, mode });
        return results.map((r) => ({ ...r, eval_id: kb.ids.get(r.document_id) ?? null }));
      };
      rows.push({ mode, embedding: mode === 'keyword' ? '-' : label, ...(await evaluate(dataset.questions, search)) });
    }
    // Best effort, and not in the contract: do not leave evaluation knowledge bases on a deployed server.
    if (args['base-url']) for (const kb of kbs.values()) await api('DELETE', `/v1/kb/${kb.id}`, undefined, [200, 204, 404, 405]).catch(() => {});
  }
  if (!args.embedding) notes.push('neural embedding: not evaluated (none requested; the local server has none offline — pass --embedding <model id> to a server that can reach one)');

  printTable(rows);
  for (const note of notes) console.log(note);
  if (args.verbose) printMisses(rows);
}

main()
  .catch((error) => {
    console.error(`eval:retrieval: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(shutdown);
