// Loads and validates the retrieval evaluation set: documents.json (manifest: id, kb, file, title,
// url), documents/* (the texts) and questions.json (each question labelled with its document and a
// verbatim passage). Each `kb` (one fictional company) becomes its own knowledge base.
import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { longestCommonRun, MIN_SHARE, tokens } from './metrics.mjs';

const HERE = new URL('./', import.meta.url);
export const FORMATS = { '.txt': 'text', '.md': 'markdown', '.html': 'html' };
export const WORDS = { min: 150, max: 600 };
export const PASSAGE_MIN_WORDS = 6;


const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', mdash: '—', ndash: '–', rsquo: '’' };

/**
 * A rough plain-text rendering (tags and markdown markers dropped, whitespace collapsed). Only the
 * checks and the offline reference retriever use it; the server does its own cleaning.
 */
export function roughPlainText(text, format) {
  let out = text;
  if (format === 'html') {
    out = out
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&(#\d+|[a-z]+);/gi, (m, name) => (name[0] === '#' ? String.fromCodePoint(Number(name.slice(1))) : ENTITIES[name.toLowerCase()] ?? m));
  } else if (format === 'markdown') {
    out = out
      .replace(/^\s{0,3}(#{1,6}|[-*+]|\d+\.|>)\s+/gm, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/[*_`]+/g, '');
  }
  return out.replace(/\s+/g, ' ').trim();
}

/** Reads everything and throws one error listing every problem found. */
export function loadDataset(dir = HERE) {
  const errors = [];
  const manifest = JSON.parse(readFileSync(new URL('documents.json', dir), 'utf8'));
  const questions = JSON.parse(readFileSync(new URL('questions.json', dir), 'utf8'));
  const files = new Set(readdirSync(new URL('documents/', dir)));

  const documents = new Map();
  for (const entry of manifest) {
    const { id, kb, file, title, url } = entry;
    const format = FORMATS[extname(file ?? '')];
    if (!id || !kb || !title || !format) errors.push(`document ${JSON.stringify(entry)}: needs id, kb, title and a .txt/.md/.html file`);
    else if (documents.has(id)) errors.push(`document id ${id} is not unique`);
    else if (!files.delete(file)) errors.push(`document ${id}: file documents/${file} does not exist`);
    else {
      const text = readFileSync(new URL(`documents/${file}`, dir), 'utf8');
      const plain = roughPlainText(text, format);
      const words = tokens(plain).length;
      if (words < WORDS.min || words > WORDS.max) errors.push(`document ${id}: ${words} words, outside ${WORDS.min}–${WORDS.max}`);
      documents.set(id, { id, kb, file, title, url, format, text, plain, words });
    }
  }
  for (const file of files) errors.push(`documents/${file} is not listed in documents.json`);

  const ids = new Set();
  for (const q of questions) {
    const where = `question ${q.id}`;
    if (!q.id || !q.question || !q.document || !q.passage) { errors.push(`${where}: needs id, question, document and passage`); continue; }
    if (ids.has(q.id)) errors.push(`${where}: id is not unique`);
    ids.add(q.id);
    const doc = documents.get(q.document);
    if (!doc) { errors.push(`${where}: document ${q.document} does not exist`); continue; }
    q.kb = doc.kb; // a question is asked of its document's knowledge base
    const passage = tokens(q.passage);
    const plainPassage = q.passage.replace(/\s+/g, ' ');
    const first = doc.text.indexOf(q.passage);
    if (first < 0) errors.push(`${where}: passage is not a verbatim substring of ${q.document}`);
    else if (doc.text.indexOf(q.passage, first + 1) >= 0) errors.push(`${where}: passage occurs more than once in ${q.document}`);
    // The passage must also survive cleaning: plain text, no markup or entities inside it.
    else if (!doc.plain.includes(plainPassage)) errors.push(`${where}: passage contains markup or is split by it in ${q.document}`);
    else if (passage.length < PASSAGE_MIN_WORDS) errors.push(`${where}: passage shorter than ${PASSAGE_MIN_WORDS} words`);
    // A hit must mean "overlaps the passage": no other part of the document may share enough of it.
    else if (Math.max(...doc.plain.split(plainPassage).map((part) => longestCommonRun(passage, tokens(part)))) >= Math.ceil(MIN_SHARE * passage.length)) {
      errors.push(`${where}: half the passage also occurs elsewhere in ${q.document}`);
    }
  }
  if (errors.length > 0) throw new Error(`retrieval dataset invalid:\n  ${errors.join('\n  ')}`);
  return { documents: [...documents.values()], questions };
}
