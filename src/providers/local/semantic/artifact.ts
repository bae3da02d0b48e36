// Reader for word-vectors.bin, written by scripts/build-word-vectors.mjs (format: docs/local-tier.md).
// Vectors stay packed (4 bits per value); a token's vector is unpacked only when it is used, so
// the isolate holds ~1.9 MB of codes instead of 12 MB of floats.

const MAGIC = 0x5657_4e4d; // "MNWV"
const FORMAT_VERSION = 1;
const HEADER_BYTES = 24;

export interface WordVectors {
  readonly dims: number;
  readonly size: number;
  /** SIF smoothing constant a the weights were computed with (informational). */
  readonly sifA: number;
  /** Word → row. Rows are in frequency order. */
  readonly index: ReadonlyMap<string, number>;
  /** Per row: SIF weight a / (a + p(w)). */
  readonly weights: Float32Array;
  /** Unit vector to remove from every sentence embedding (precomputed at build time). */
  readonly commonComponent: Float32Array;
  /** Adds `weight` × the row's vector into `into`. */
  accumulate(row: number, weight: number, into: Float64Array): void;
}

export function parseWordVectors(buffer: ArrayBuffer): WordVectors {
  const view = new DataView(buffer);
  if (buffer.byteLength < HEADER_BYTES || view.getUint32(0, true) !== MAGIC) {
    throw new Error('word-vectors.bin: not a minnow word-vector artifact');
  }
  if (view.getUint32(4, true) !== FORMAT_VERSION) throw new Error('word-vectors.bin: unsupported format version');
  const size = view.getUint32(8, true);
  const dims = view.getUint32(12, true);
  const sifA = view.getFloat32(16, true);
  const wordBytes = view.getUint32(20, true);

  let at = HEADER_BYTES;
  const commonComponent = readFloat32(view, at, dims);
  at += dims * 4;
  const scales = readFloat32(view, at, size);
  at += size * 4;
  const weights = new Float32Array(size);
  for (let i = 0; i < size; i++) weights[i] = view.getUint16(at + i * 2, true) / 65535;
  at += Math.ceil((size * 2) / 4) * 4;
  const bytesPerRow = dims / 2;
  const codes = new Uint8Array(buffer, at, size * bytesPerRow);
  at += size * bytesPerRow;
  if (at + wordBytes !== buffer.byteLength) throw new Error('word-vectors.bin: truncated or corrupt');

  const words = new TextDecoder().decode(new Uint8Array(buffer, at, wordBytes)).split('\n');
  if (words.length !== size) throw new Error('word-vectors.bin: word list does not match the vectors');
  const index = new Map<string, number>();
  words.forEach((word, row) => index.set(word, row));

  return {
    dims,
    size,
    sifA,
    index,
    weights,
    commonComponent,
    accumulate(row, weight, into) {
      // Code c (0..15) stands for (c - 7.5) × scale: 4-bit mid-rise, low nibble first.
      const scale = (scales[row] ?? 0) * weight;
      const offset = row * bytesPerRow;
      for (let i = 0; i < bytesPerRow; i++) {
        const byte = codes[offset + i] ?? 0;
        into[2 * i] = (into[2 * i] ?? 0) + ((byte & 15) - 7.5) * scale;
        into[2 * i + 1] = (into[2 * i + 1] ?? 0) + ((byte >> 4) - 7.5) * scale;
      }
    },
  };
}

function readFloat32(view: DataView, at: number, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(at + i * 4, true);
  return out;
}
