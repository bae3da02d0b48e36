/**
 * Every KV key minnow writes is built here, so docs/storage-schema.md has one place to match.
 * Prefixes: `apikey:` (key hash → key record), `cache:` (response cache entries).
 */
export const kvKeys = {
  apiKey: (keyHash: string) => `apikey:${keyHash}`,
  cacheEntry: (entryHash: string) => `cache:${entryHash}`,
};
