import { describe, expect, it } from 'vitest';
import { MemoryCache } from '../src/storage/memory-cache';
import { keepInMemory, readCached, type CachedResult } from '../src/storage/response-cache';

describe('in-isolate memory cache', () => {
  it('drops the least recently read entry when full, not the oldest write', () => {
    const cache = new MemoryCache<number>(3);
    cache.set('hot', 1, 60_000);
    for (let index = 0; index < 100; index += 1) {
      expect(cache.get('hot')).toBe(1);
      cache.set(`one-off-${index}`, index, 60_000);
    }
    expect(cache.get('hot')).toBe(1);
    expect(cache.get('one-off-99')).toBe(99);
    expect(cache.get('one-off-98')).toBe(98);
    expect(cache.get('one-off-96')).toBeUndefined();
  });

  it('still expires an entry that is read often', () => {
    const cache = new MemoryCache<string>(10);
    cache.set('key', 'value', 1_000, 0);
    expect(cache.get('key', 999)).toBe('value');
    expect(cache.get('key', 1_000)).toBeUndefined();
    expect(cache.get('key', 0)).toBeUndefined();
  });

  // The benchmark's pattern: one tenant's repeated text read between thousands of new texts the
  // local tier answered, whose answers live only in memory. FIFO eviction turned the hit into a miss
  // after 5,000 of them.
  it('keeps a hot local-tier answer through more one-off answers than the cache holds', async () => {
    const answer = (text: string): CachedResult => ({ result: { text }, model: 'm', provider: 'local', cached_at: '2026-12-03T00:00:00Z' });
    keepInMemory([{ key: 'hot-local-answer', value: answer('hot') }], 600);
    for (let index = 0; index < 7_000; index += 1) {
      const [found] = await readCached({} as KVNamespace, ['hot-local-answer'], { kv: false });
      expect(found?.result).toEqual({ text: 'hot' });
      keepInMemory([{ key: `one-off-local-answer-${index}`, value: answer(String(index)) }], 600);
    }
  });
});
