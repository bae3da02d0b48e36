// The KB cleaner as it was before issue 16 (regular expressions, quadratic on hostile input), kept
// as the oracle the linear cleaner in src/kb/clean.ts must agree with on ordinary documents.
import type { DocumentFormat } from '../../../src/storage/kb-documents';

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
 * HTML → text: drops what is never content (scripts, styles, comments, hidden templates), turns
 * block elements into paragraph breaks so sentences from two blocks do not run together, and
 * decodes entities. Not a renderer: support pages are simple markup, and this runs per upload.
 */
function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<(script|style|noscript|template|svg|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(new RegExp(`<\\/?(?:${BLOCK_TAGS})\\b[^>]*>`, 'gi'), '\n\n')
      .replace(/<(td|th)\b[^>]*>/gi, ' ')
      .replace(/<[^>]+>/g, ''),
  );
}

/** Markdown → text: keeps the words of headings, links, emphasis and code; drops the syntax. */
function markdownToText(markdown: string): string {
  return markdown
    .replace(/^```[^\n]*$/gm, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/gm, '\n$1\n')
    .replace(/^\s{0,3}>\s?/gm, '')
    .replace(/^[ \t]*(?:[-*+]|\d+[.)])[ \t]+/gm, '')
    .replace(/^\s*(?:-{3,}|\*{3,}|_{3,})\s*$/gm, '\n')
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
export function referenceCleanDocument(text: string, format: DocumentFormat): string {
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
