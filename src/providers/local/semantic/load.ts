// The artifact is a static asset (assets/word-vectors.bin): static assets do not count toward the
// Worker's size limit, so the bundle stays within the Free plan. It is fetched from the ASSETS
// binding and parsed (word map, scales, weights) once per isolate, on first use.
import { ApiError } from '../../../contracts/errors';
import { parseWordVectors, type WordVectors } from './artifact';

/**
 * The artifacts: the shared 30,000-word one every local task reads, and a 100,000-word one (same
 * source and format, ~6.3 MB, ~40 ms to parse) that only tenant-trained classifiers read: support
 * tickets' key words ("login", "invoice") are past the 30,000 most frequent, and
 * the wider vocabulary lifts the classifiers (docs/classifiers.md) while it made the zero-shot
 * tasks no better.
 */
export type WordVectorArtifact = 'word-vectors.bin' | 'word-vectors-100k.bin';

const loading = new Map<WordVectorArtifact, Promise<WordVectors>>();

async function fetchVectors(assets: Fetcher, artifact: WordVectorArtifact): Promise<WordVectors> {
  // The host is ignored by the ASSETS binding.
  const response = await assets.fetch(`https://assets.invalid/${artifact}`);
  if (!response.ok) throw new ApiError(503, 'local_model_missing', `The local word vectors ${artifact} are missing (ASSETS answered ${response.status}); run scripts/build-word-vectors.mjs`);
  return parseWordVectors(await response.arrayBuffer());
}

export function wordVectors(env: { ASSETS?: Fetcher }, artifact: WordVectorArtifact = 'word-vectors.bin'): Promise<WordVectors> {
  if (!env.ASSETS) throw new ApiError(503, 'local_model_missing', 'No ASSETS binding: the local word vectors cannot be loaded');
  let pending = loading.get(artifact);
  if (!pending) {
    // A failed load is forgotten, so the next request tries again instead of failing forever.
    pending = fetchVectors(env.ASSETS, artifact).catch((error: unknown) => {
      loading.delete(artifact);
      throw error;
    });
    loading.set(artifact, pending);
  }
  return pending;
}
