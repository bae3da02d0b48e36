// The artifact is bundled as a Data module (the bytes are part of the Worker, no fetch, no KV);
// parsing it (word map, scales, weights) happens once per isolate, on first use.
import bytes from './word-vectors.bin';
import { parseWordVectors, type WordVectors } from './artifact';

let vectors: WordVectors | undefined;

export function wordVectors(): WordVectors {
  vectors ??= parseWordVectors(bytes);
  return vectors;
}
