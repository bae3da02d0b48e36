import { sha256Hex } from '../security/crypto';
import { kvKeys } from './kv-keys';
import { MemoryCache } from './memory-cache';

/** One cached result, with where it came from. */
export interface CachedResult<Result = unknown> {
  result: Result;
  model: string;
  provider: string;
  cached_at: string;
}

/** What determines an answer; its hash is the cache key. */
export interface CacheKeyParts {
  /** `tenant:<id>`: entries are never shared between tenants. */
  scope: string;
  task: string;
  model: string;
  item: unknown;
  options: Record<string, unknown>;
}

/** The in-isolate layer holds entries briefly, so a hot entry is served without a KV read. */
const MEMORY_TTL_MS = 60_000;
const memory = new MemoryCache<CachedResult>(5_000);

export function cacheKey(parts: CacheKeyParts): Promise<string> {
  return sha256Hex(JSON.stringify([parts.scope, parts.task, parts.model, parts.item, sortKeys(parts.options)]));
}

function sortKeys(value: Record<string, unknown>): [string, unknown][] {
  return Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** KV's bulk read takes at most this many keys; a batch request never has more items. */
const KV_BULK_LIMIT = 100;

/**
 * Looks up each key: the isolate's memory first, then one bulk KV read for all the rest, so a
 * batch costs at most one KV operation before the provider is called.
 */
export async function readCached(kv: KVNamespace, keys: string[]): Promise<(CachedResult | null)[]> {
  const found: (CachedResult | null)[] = keys.map((key) => memory.get(key) ?? null);
  const cold = [...new Set(keys.filter((_, index) => found[index] === null))];
  for (let start = 0; start < cold.length; start += KV_BULK_LIMIT) {
    const chunk = cold.slice(start, start + KV_BULK_LIMIT);
    const stored = await kv.get<CachedResult>(chunk.map(kvKeys.cacheEntry), 'json');
    chunk.forEach((key) => {
      const value = stored.get(kvKeys.cacheEntry(key));
      if (!value) return;
      memory.set(key, value, MEMORY_TTL_MS);
      keys.forEach((candidate, index) => candidate === key && (found[index] = value));
    });
  }
  return found;
}

export async function writeCached(kv: KVNamespace, entries: { key: string; value: CachedResult }[], ttlSeconds: number): Promise<void> {
  await Promise.all(
    entries.map(({ key, value }) => {
      memory.set(key, value, Math.min(MEMORY_TTL_MS, ttlSeconds * 1000));
      return kv.put(kvKeys.cacheEntry(key), JSON.stringify(value), { expirationTtl: Math.max(60, ttlSeconds) });
    }),
  );
}

/** Empties this isolate's memory layer, so the next lookups go to KV (tests use it to cover that path). */
export function forgetInMemoryEntries(): void {
  memory.clear();
}
