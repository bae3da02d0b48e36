import type { DocumentFormat } from '../storage/kb-documents';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—', hellip: '…', rsquo: '’', lsquo: '‘', rdquo: '”', ldquo: '“', copy: '©', reg: '®', trade: '™', euro: '€', pound: '£' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const BLOCK_TAGS = 'p|div|section|article|header|footer|main|aside|nav|h[1-6]|li|ul|ol|dl|dt|dd|tr|table|thead|tbody|blockquote|pre|br|hr|figure|figcaption|details|summary';

/**
 * The first place at or after `from` where a search finds something, remembered: a later search
 * from further on reuses the answer until it passes it, so no text is read twice by the same
 * search and a whole pass stays linear. (With regular expressions that re-read the rest of the
 * text at every `<`, a document of 100,000 `<` and no `>` took 17.8 s.)
 */
function forwardSearch(find: (from: number) => number): (from: number) => number {
  let searchedFrom = -1;
  let found = -1;
  return (from) => {
    if (searchedFrom >= 0 && from >= searchedFrom && (found < 0 || from <= found)) return found;
    searchedFrom = from;
    found = find(from);
    return found;
  };
}

/** `<!--[\s\S]*?-->` → ' ': an unclosed comment stays (and no later one can close). */
function withoutComments(html: string): string {
  let out = '';
  let at = 0;
  for (let open = html.indexOf('<!--'); open >= 0; open = html.indexOf('<!--', at)) {
    const close = html.indexOf('-->', open + 4);
    if (close < 0) break;
    out += `${html.slice(at, open)} `;
    at = close + 3;
  }
  return out + html.slice(at);
}

/** `<(script|style|…)\b[\s\S]*?<\/\1\s*>` → ' ': a raw-text element and its content. */
function withoutRawText(html: string): string {
  const open = /<(script|style|noscript|template|svg|head)\b/gi;
  const closers = new Map<string, { search: (from: number) => number; at: RegExp }>();
  const closeEnd = (name: string, from: number) => {
    let closer = closers.get(name);
    if (!closer) {
      const anywhere = new RegExp(`<\\/${name}\\s*>`, 'gi');
      const search = forwardSearch((start) => {
        anywhere.lastIndex = start;
        return anywhere.exec(html)?.index ?? -1;
      });
      closer = { search, at: new RegExp(`<\\/${name}\\s*>`, 'iy') };
      closers.set(name, closer);
    }
    const start = closer.search(from);
    if (start < 0) return -1;
    closer.at.lastIndex = start;
    return start + closer.at.exec(html)![0].length;
  };
  let out = '';
  let copied = 0;
  for (let match = open.exec(html); match; match = open.exec(html)) {
    const end = closeEnd(match[1]!.toLowerCase(), match.index + match[0].length);
    if (end < 0) continue;
    out += `${html.slice(copied, match.index)} `;
    copied = end;
    open.lastIndex = end;
  }
  return out + html.slice(copied);
}

/**
 * `${open}[^>]*>` → `replacement` for every tag `open` (a global pattern starting at `<`) finds;
 * `minInner` characters at least between `<` and `>`.
 */
function replaceTags(html: string, open: RegExp, replacement: string, minInner = 0): string {
  const nextGt = forwardSearch((from) => html.indexOf('>', from));
  let out = '';
  let copied = 0;
  open.lastIndex = 0;
  for (let match = open.exec(html); match; match = open.exec(html)) {
    const gt = nextGt(match.index + match[0].length);
    if (gt < 0) break; // no tag can close any more
    if (gt - match.index - 1 < minInner) {
      open.lastIndex = match.index + 1;
      continue;
    }
    out += html.slice(copied, match.index) + replacement;
    copied = gt + 1;
    open.lastIndex = gt + 1;
  }
  return out + html.slice(copied);
}

/**
 * HTML → text: drops what is never content (scripts, styles, comments, hidden templates), turns
 * block elements into paragraph breaks so sentences from two blocks do not run together, and
 * decodes entities. Not a renderer: support pages are simple markup, and this runs per upload.
 * Each step is one linear pass, in the order the rules always applied.
 */
function htmlToText(html: string): string {
  let text = withoutRawText(withoutComments(html));
  text = replaceTags(text, new RegExp(`<\\/?(?:${BLOCK_TAGS})\\b`, 'gi'), '\n\n');
  text = replaceTags(text, /<(?:td|th)\b/gi, ' ');
  return decodeEntities(replaceTags(text, /</g, '', 1));
}

/**
 * A heading's text without the closing hashes and spaces (`## Title ##` → `Title`), as the lazy
 * `(.*?)\s*#*\s*$` did, without its quadratic search.
 */
const headingText = (line: string) => line.replace(/\s+$/, '').replace(/#+$/, '').replace(/\s+$/, '');

/**
 * Markdown → text: keeps the words of headings, links, emphasis and code; drops the syntax. Every
 * pattern either reads one line from a line start or cannot read past the place where another
 * match would start (a link's text and address stop at `[`), so the whole pass is linear.
 */
function markdownToText(markdown: string): string {
  return markdown
    .replace(/^```[^\n]*$/gm, '')
    .replace(/!\[([^[\]]*)\]\([^)[]*\)/g, '$1')
    .replace(/\[([^[\]]+)\]\([^)[]*\)/g, '$1')
    .replace(/^\s{0,3}#{1,6}\s+(.*)$/gm, (_, title: string) => `\n${headingText(title)}\n`)
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/^[ \t]*(?:[-*+]|\d+[.)])[ \t]+/gm, '')
    .replace(/^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$/gm, '\n')
    .replace(/^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+[ \t]*:?-*:?[ \t]*\n?/gm, '')
    .replace(/\|/g, ' ')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(?<![\w*])[*_](?!\s)([^*_\n]+?)[*_](?![\w*])/g, '$1')
    .replace(/`([^`]+)`/g, '$1');
}

/**
 * The text a document is searched and quoted by: format syntax removed, control characters and
 * runs of spaces collapsed, paragraphs kept as blank lines (the chunker prefers to break there).
 */
export function cleanDocument(text: string, format: DocumentFormat): string {
  const plain = format === 'html' ? htmlToText(text) : format === 'markdown' ? markdownToText(text) : text;
  return plain
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    // Control and zero-width characters carry no words and break tokenizers.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200d\u2060\ufeff]/g, '')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
