// The artifact is a static asset (assets/word-vectors.bin): static assets do not count toward the
// Worker's size limit, so the bundle stays within the Free plan. It is fetched from the ASSETS
// binding and parsed (word map, scales, weights) once per isolate, on first use.
import { ApiError } from '../../../contracts/errors';
import { parseWordVectors, type WordVectors } from './artifact';

/** Asset path; the host is ignored by the ASSETS binding. */
const ARTIFACT_URL = 'https://assets.invalid/word-vectors.bin';

let loading: Promise<WordVectors> | undefined;

async function fetchVectors(assets: Fetcher): Promise<WordVectors> {
  const response = await assets.fetch(ARTIFACT_URL);
  if (!response.ok) throw new ApiError(503, 'local_model_missing', `The local word vectors are missing (ASSETS answered ${response.status}); run scripts/build-word-vectors.mjs`);
  return parseWordVectors(await response.arrayBuffer());
}

export function wordVectors(env: { ASSETS?: Fetcher }): Promise<WordVectors> {
  if (!env.ASSETS) throw new ApiError(503, 'local_model_missing', 'No ASSETS binding: the local word vectors cannot be loaded');
  // A failed load is forgotten, so the next request tries again instead of failing forever.
  loading ??= fetchVectors(env.ASSETS).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
