// Stand-in for a Cloudflare Vectorize index (the `Vectorize` binding, v2 API), bound as VECTORS
// through a service binding: upsert/insert/query/getByIds/deleteByIds/describe with the real
// shapes — namespaces, metadata filters ($eq implicit, $in, $ne, $nin), cosine scores, topK ≤ 100
// (≤ 20 when values or full metadata are returned). Vectorize cannot run offline; this is exact
// (brute force) where the real index is approximate.
import { WorkerEntrypoint } from 'cloudflare:workers';

/** id → { id, values: Float32Array, namespace, metadata } */
const vectors = new Map();

const cosine = (a, b) => {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
};

function matches(metadata = {}, filter = {}) {
  return Object.entries(filter).every(([field, condition]) => {
    const value = metadata[field];
    if (condition === null || typeof condition !== 'object') return value === condition;
    if ('$eq' in condition && value !== condition.$eq) return false;
    if ('$ne' in condition && value === condition.$ne) return false;
    if ('$in' in condition && !condition.$in.includes(value)) return false;
    if ('$nin' in condition && condition.$nin.includes(value)) return false;
    return true;
  });
}

const DIMENSIONS = 100;

export class FakeVectorize extends WorkerEntrypoint {
  async describe() {
    return { id: 'fake-index', name: 'minnow-kb', config: { dimensions: DIMENSIONS, metric: 'cosine' }, vectorCount: vectors.size };
  }
  async upsert(list) {
    for (const vector of list) {
      if (typeof vector.id !== 'string' || new TextEncoder().encode(vector.id).length > 64) throw new Error('VECTOR_UPSERT_ERROR (code = 40008): id must be a string of at most 64 bytes');
      vectors.set(vector.id, { id: vector.id, values: Float32Array.from(vector.values), namespace: vector.namespace ?? '', metadata: vector.metadata ?? {} });
    }
    return { mutationId: crypto.randomUUID() };
  }
  async insert(list) {
    for (const vector of list) if (vectors.has(vector.id)) throw new Error(`VECTOR_INSERT_ERROR (code = 40004): vector ${vector.id} already exists`);
    return this.upsert(list);
  }
  async query(vector, options = {}) {
    const topK = options.topK ?? 5;
    const limit = options.returnValues || options.returnMetadata === true || options.returnMetadata === 'all' ? 20 : 100;
    if (topK > limit) throw new Error(`VECTOR_QUERY_ERROR (code = 40025): topK must be at most ${limit}`);
    const namespace = options.namespace ?? '';
    const scored = [...vectors.values()]
      .filter((stored) => stored.namespace === namespace && matches(stored.metadata, options.filter))
      .map((stored) => ({ id: stored.id, score: cosine(vector, stored.values), ...(options.returnValues ? { values: Array.from(stored.values) } : {}), ...(options.returnMetadata && options.returnMetadata !== 'none' ? { metadata: stored.metadata } : {}) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, topK);
    return { matches: scored, count: scored.length };
  }
  async getByIds(ids) {
    return ids.flatMap((id) => (vectors.has(id) ? [{ id, values: Array.from(vectors.get(id).values), namespace: vectors.get(id).namespace, metadata: vectors.get(id).metadata }] : []));
  }
  async deleteByIds(ids) {
    for (const id of ids) vectors.delete(id);
    return { mutationId: crypto.randomUUID() };
  }
  /** Test-only: how many vectors a namespace holds. */
  async countInNamespace(namespace) {
    return [...vectors.values()].filter((stored) => stored.namespace === namespace).length;
  }
}
