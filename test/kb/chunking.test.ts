import { describe, expect, it } from 'vitest';
import { CHUNK_MAX_CHARS, CHUNK_OVERLAP_CHARS, CHUNK_TARGET_CHARS, chunkText } from '../../src/kb/chunk';
import { cleanDocument } from '../../src/kb/clean';
import { keywordQuery } from '../../src/kb/keyword-query';

const sentences = (count: number, words = 12) => Array.from({ length: count }, (_, i) => `Sentence ${i} ${'word '.repeat(words).trim()}.`);

describe('cleaning documents', () => {
  it('keeps the words of markdown and drops its syntax', () => {
    const text = cleanDocument('# Title\n\nSome **bold** and _em_ text with a [link](https://x.test) and `code`.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |', 'markdown');
    expect(text).toBe('Title\n\nSome bold and em text with a link and code.\n\none\ntwo\n\na b\n1 2');
  });

  it('turns html blocks into paragraphs and drops scripts, styles and comments', () => {
    const text = cleanDocument('<div><h2>Hi &amp; welcome</h2><!-- secret --><p>One&nbsp;two<br>three &#8212; &#x41;</p><style>p{}</style><script>x()</script></div>', 'html');
    expect(text).toBe('Hi & welcome\n\nOne two\n\nthree — A');
  });

  it('removes control and zero-width characters and collapses spacing', () => {
    expect(cleanDocument('a\u200b b\u0000\t\tc\r\n\r\n\r\n\r\nd', 'text')).toBe('a b c\n\nd');
  });
});

describe('chunking', () => {
  it('keeps a short text whole', () => {
    expect(chunkText('One sentence. Two sentences.')).toEqual([{ position: 0, start: 0, end: 28, text: 'One sentence. Two sentences.' }]);
  });

  it('cuts at sentence boundaries near the target size, with overlap, and offsets that point into the text', () => {
    const text = sentences(60).join(' ');
    const chunks = chunkText(text);
    expect(chunks.length).toBeGreaterThan(3);
    for (const [i, chunk] of chunks.entries()) {
      expect(chunk.text).toBe(text.slice(chunk.start, chunk.end));
      expect(chunk.text.length).toBeLessThanOrEqual(CHUNK_MAX_CHARS);
      expect(chunk.text).toMatch(/^Sentence \d+/);
      expect(chunk.text.endsWith('.')).toBe(true);
      if (i < chunks.length - 1) {
        expect(chunk.text.length).toBeGreaterThanOrEqual(CHUNK_TARGET_CHARS / 2);
        const overlap = chunk.end - chunks[i + 1]!.start;
        expect(overlap).toBeGreaterThan(0);
        expect(overlap).toBeLessThanOrEqual(CHUNK_OVERLAP_CHARS);
      }
    }
    expect(chunks.at(-1)!.end).toBe(text.length);
  });

  it('prefers paragraph breaks and does not overlap across them', () => {
    const text = [sentences(6).join(' '), sentences(6).join(' '), sentences(6).join(' ')].join('\n\n');
    const chunks = chunkText(text);
    expect(chunks.map((chunk) => chunk.text)).toEqual(text.split('\n\n'));
  });

  it('splits a sentence longer than the maximum at word boundaries', () => {
    const text = 'word '.repeat(1_000).trim();
    const chunks = chunkText(text);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(CHUNK_MAX_CHARS);
      expect(chunk.text).toMatch(/^word( word)*$/);
    }
  });
});

describe('keyword queries', () => {
  it('quotes every term so FTS5 syntax in a question is never interpreted', () => {
    expect(keywordQuery('How do I get a REFUND for "shipping*" NEAR(x) title:password?')).toBe('"get" OR "refund" OR "shipping" OR "near" OR "x" OR "title" OR "password"'.replace('"x" OR ', ''));
    expect(keywordQuery('the and of ?!')).toBeNull();
    expect(keywordQuery('Rückerstattung für Bestellungen')).toBe('"rückerstattung" OR "für" OR "bestellungen"');
  });
});
