#!/usr/bin/env node
// Checks the relative links in README.md and docs/*.md: every `[text](target)` (and `![alt](target)`,
// and reference definitions `[label]: target`) whose target is not a URL or a same-file `#anchor`
// must name a file or directory that exists, relative to the file holding the link. A `#fragment`
// on a link to a .md file must match a heading of that file (GitHub's slugs) or an explicit
// `id`/`name` anchor. Prints each broken link as `file: target` and exits 1; else one summary line.
//
//   node scripts/check-links.mjs
//
// No dependencies (Node 20+). Links inside fenced code blocks and inline code spans are ignored.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** README.md and every docs/*.md, as paths relative to the repository root. */
function markdownFiles() {
  const files = ['README.md'];
  const docs = join(root, 'docs');
  if (existsSync(docs)) {
    for (const name of readdirSync(docs).sort()) {
      if (name.endsWith('.md') && statSync(join(docs, name)).isFile()) files.push(`docs/${name}`);
    }
  }
  return files.filter((f) => existsSync(join(root, f)));
}

/**
 * The file's lines with fenced code blocks blanked (so line numbers stay put), and whether each
 * line was inside a fence.
 */
function proseLines(text) {
  const lines = text.split(/\r?\n/);
  let fence = null; // the opening marker (``` or ~~~, with its length) while inside a block
  return lines.map((line) => {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (m && m[1][0] === fence[0] && m[1].length >= fence.length && /^ {0,3}[`~]+\s*$/.test(line)) fence = null;
      return '';
    }
    if (m) {
      fence = m[1];
      return '';
    }
    return line;
  });
}

/** Removes inline code spans (`…`, ``…``) so link-like text inside them is not read as a link. */
function stripCodeSpans(text) {
  // A span never crosses a blank line, so a stray backtick cannot hide the rest of the file.
  return text.replace(/(`+)(?:(?!\n[ \t]*\n)[\s\S])*?\1/g, (span) => span.replace(/[^\n]/g, ' '));
}

/** Every link target in a file's prose: inline links/images and reference definitions. */
function linkTargets(text) {
  const prose = stripCodeSpans(proseLines(text).join('\n'));
  const targets = [];
  // Inline: [text](target) or [text](target "title") or [text](<target with spaces>). The text may
  // hold one level of nested brackets (e.g. an image inside a link).
  const inline = /!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*(<[^>]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
  for (const m of prose.matchAll(inline)) targets.push(m[1].replace(/^<|>$/g, ''));
  // Reference definitions: [label]: target
  const reference = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/gm;
  for (const m of prose.matchAll(reference)) targets.push(m[1].replace(/^<|>$/g, ''));
  return targets;
}

/** GitHub's heading slug (github-slugger): lower case, drop punctuation, spaces to hyphens. */
function slug(heading) {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** What a heading's text renders as: links to their text, no code ticks, emphasis or HTML tags. */
function headingText(raw) {
  return raw
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '')
    .replace(/(\*\*|__|\*)/g, '')
    .trim();
}

const anchorCache = new Map();

/** Every fragment a markdown file answers to: heading slugs (deduplicated as GitHub does) and ids. */
function anchorsOf(file) {
  if (anchorCache.has(file)) return anchorCache.get(file);
  const anchors = new Set();
  const seen = new Map();
  const add = (text) => {
    const base = slug(headingText(text));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  };
  const text = readFileSync(file, 'utf8');
  const lines = proseLines(text);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const atx = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (atx) {
      add(atx[1] ?? '');
      continue;
    }
    // Setext: a paragraph line underlined with === or ---.
    const next = lines[i + 1];
    if (next !== undefined && /^ {0,3}(=+|-+)[ \t]*$/.test(next) && line.trim() !== '' &&
        !/^\s*([-*+>|]|\d+[.)])/.test(line) && (i === 0 || lines[i - 1].trim() === '')) {
      add(line);
      i++;
    }
  }
  for (const m of stripCodeSpans(lines.join('\n')).matchAll(/<[a-z][^>]*\s(?:id|name)=["']([^"']+)["']/gi)) {
    anchors.add(m[1]);
  }
  anchorCache.set(file, anchors);
  return anchors;
}

function decode(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

const broken = [];
let checked = 0;
const files = markdownFiles();

for (const file of files) {
  const abs = join(root, file);
  for (const target of linkTargets(readFileSync(abs, 'utf8'))) {
    if (target === '' || target.startsWith('#')) continue; // same-file anchor
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue; // http:, https:, mailto:, …
    checked++;
    const hash = target.indexOf('#');
    const pathPart = decode((hash === -1 ? target : target.slice(0, hash)).split('?')[0]);
    const fragment = hash === -1 ? '' : decode(target.slice(hash + 1));
    const dest = pathPart.startsWith('/') ? join(root, pathPart) : resolve(dirname(abs), pathPart);
    if (!existsSync(dest)) {
      broken.push(`${file}: ${target}`);
      continue;
    }
    if (fragment && /\.md$/i.test(dest) && statSync(dest).isFile() && !anchorsOf(dest).has(fragment)) {
      broken.push(`${file}: ${target}`);
    }
  }
}

if (broken.length > 0) {
  for (const line of broken) console.log(line);
  console.error(`check-links: ${broken.length} broken of ${checked} relative links in ${files.length} files`);
  process.exit(1);
}
console.log(`check-links: all ${checked} relative links in ${files.length} files resolve`);
