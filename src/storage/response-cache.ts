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

/** Looks up each key: memory first, then KV for the rest (in parallel). */
export async function readCached(kv: KVNamespace, keys: string[]): Promise<(CachedResult | null)[]> {
  return Promise.all(
    keys.map(async (key) => {
      const hot = memory.get(key);
      if (hot) return hot;
      const stored = await kv.get<CachedResult>(kvKeys.cacheEntry(key), 'json');
      if (stored) memory.set(key, stored, MEMORY_TTL_MS);
      return stored;
    }),
  );
}

export async function writeCached(kv: KVNamespace, entries: { key: string; value: CachedResult }[], ttlSeconds: number): Promise<void> {
  await Promise.all(
    entries.map(({ key, value }) => {
      memory.set(key, value, Math.min(MEMORY_TTL_MS, ttlSeconds * 1000));
      return kv.put(kvKeys.cacheEntry(key), JSON.stringify(value), { expirationTtl: Math.max(60, ttlSeconds) });
    }),
  );
}
