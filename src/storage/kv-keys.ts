/**
 * Every KV key minnow writes is built here, so docs/storage-schema.md has one place to match.
 * Prefixes: `apikey:` (key hash → key record), `cache:` (response cache entries), `clf-model:` (a
 * trained classifier version's weights) and `clf-examples:` (a queued training set). The
 * classifier keys start with the tenant id, so no key of one tenant can name another's data.
 */
export const kvKeys = {
  apiKey: (keyHash: string) => `apikey:${keyHash}`,
  cacheEntry: (entryHash: string) => `cache:${entryHash}`,
  classifierModel: (tenantId: string, classifierId: string, version: number) => `clf-model:${tenantId}:${classifierId}:${version}`,
  classifierExamples: (tenantId: string, classifierId: string, version: number) => `clf-examples:${tenantId}:${classifierId}:${version}`,
};
