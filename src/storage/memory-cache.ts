/**
 * A bounded in-isolate map with per-entry expiry. It sits in front of KV on the hot path so a
 * repeated lookup costs no I/O; the short TTLs keep it from outliving the source of truth.
 *
 * Full, it drops the least recently *read* entry, not the oldest write: a stream of one-off
 * entries (every new text a local-tier miss keeps) must not push out an entry that is read on
 * every request — for a local-tier answer, which lives only here, that turns every later hit
 * into a recomputation.
 */
export class MemoryCache<V> {
  private readonly entries = new Map<string, { value: V; expiresAt: number }>();

  constructor(private readonly maxEntries: number) {}

  get(key: string, now = Date.now()): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= now) return undefined;
    // Re-inserting moves it to the end of the Map's order, the most recently used.
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, ttlMs: number, now = Date.now()): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      // Map keeps insertion order and get() re-inserts, so the first key is the least recently used.
      const eldest = this.entries.keys().next().value;
      if (eldest !== undefined) this.entries.delete(eldest);
    }
    this.entries.set(key, { value, expiresAt: now + ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
