import { describe, expect, it } from 'vitest';
import { CHUNK_MAX_BYTES, CHUNK_MAX_ITEMS, prepareBatch } from '../../src/batches/prepare';
import { ApiError } from '../../src/contracts/errors';

const sizes = (inputs: unknown[]) => prepareBatch({ task: 'sentiment', inputs: inputs as Record<string, unknown>[] }).chunks.map((chunk) => chunk.ids.length);

describe('splitting a batch into chunks', () => {
  it('closes a chunk at 50 items', () => {
    expect(sizes(Array.from({ length: 120 }, () => ({ text: 'fine' })))).toEqual([CHUNK_MAX_ITEMS, CHUNK_MAX_ITEMS, 20]);
  });

  it("closes a chunk at one full request's texts (100)", () => {
    const sixty = { text: Array.from({ length: 60 }, () => 'fine') };
    // 60 + 60 > 100, 60 + 40 = 100 fits, then 100 + 40 does not.
    expect(sizes([sixty, sixty, { text: Array(40).fill('ok') }, { text: Array(40).fill('ok') }])).toEqual([1, 2, 1]);
  });

  it('closes a chunk at 1 MiB of inputs', () => {
    const big = { text: ['x'.repeat(19_000), 'y'.repeat(19_000)] };
    const perChunk = Math.floor(CHUNK_MAX_BYTES / JSON.stringify(big).length);
    const chunks = prepareBatch({ task: 'sentiment', inputs: Array.from({ length: 40 }, () => big) }).chunks;
    expect(perChunk).toBeLessThan(CHUNK_MAX_ITEMS);
    expect(chunks.map((chunk) => chunk.ids.length)).toEqual([perChunk, 40 - perChunk]);
    for (const chunk of chunks) expect(new TextEncoder().encode(JSON.stringify(chunk.inputs)).byteLength).toBeLessThanOrEqual(CHUNK_MAX_BYTES + chunk.ids.length + 2);
  });

  it('keeps item order and each item\'s id, and numbers chunks from their first index', () => {
    const { chunks } = prepareBatch({ task: 'sentiment', items: Array.from({ length: 60 }, (_, i) => ({ id: `r${i}`, input: { text: `text ${i}` } })) });
    expect(chunks.map((chunk) => [chunk.seq, chunk.first_index])).toEqual([[0, 0], [1, 50]]);
    expect(chunks[1]!.ids[0]).toBe('r50');
    expect(chunks[1]!.inputs![0]).toEqual({ text: 'text 50' });
  });

  it('merges shared options into each input, validated with the task schema', () => {
    const { chunks } = prepareBatch({ task: 'classify', options: { labels: ['billing', 'shipping'] }, inputs: [{ text: 'charged twice' }] });
    expect(chunks[0]!.inputs![0]).toMatchObject({ text: 'charged twice', labels: ['billing', 'shipping'] });
    const wrongOption = (() => {
      try {
        prepareBatch({ task: 'classify', options: { labels: 'billing' }, inputs: [{ text: 'x' }] });
      } catch (error) {
        return error;
      }
    })();
    expect(wrongOption).toBeInstanceOf(ApiError);
    expect(wrongOption).toMatchObject({ status: 400, param: 'options.labels' });
  });
});
