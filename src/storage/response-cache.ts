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
 * batch costs at most one KV operation before the provider is called. `kv: false` when no entry
 * can be in KV (a plan only the local tier answers, whose answers are kept in memory alone).
 */
export async function readCached(kv: KVNamespace, keys: string[], where: { kv: boolean } = { kv: true }): Promise<(CachedResult | null)[]> {
  const found: (CachedResult | null)[] = keys.map((key) => memory.get(key) ?? null);
  if (!where.kv) return found;
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

/**
 * How long this isolate keeps a local-tier answer. They are never written to KV: a KV write costs
 * $5 and a read $0.50 per million (Workers KV pricing), while the local tier recomputes a typical
 * answer in well under a millisecond of CPU ($0.02 per million CPU-ms) — writing one costs about a
 * thousand times, and reading one about a hundred times, what recomputing it does, and a KV read is
 * slower too. Kept longer than KV-backed entries' memory copies: nothing else can update them
 * (their key names the local tier's revision), so only memory pressure retires them sooner.
 */
const LOCAL_MEMORY_TTL_MS = 10 * 60_000;

/** Keeps local-tier answers in this isolate's memory only (see LOCAL_MEMORY_TTL_MS for why not KV). */
export function keepInMemory(entries: { key: string; value: CachedResult }[], ttlSeconds: number): void {
  for (const { key, value } of entries) memory.set(key, value, Math.min(LOCAL_MEMORY_TTL_MS, ttlSeconds * 1000));
}

/** Empties this isolate's memory layer, so the next lookups go to KV (tests use it to cover that path). */
export function forgetInMemoryEntries(): void {
  memory.clear();
}
