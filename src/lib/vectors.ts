/** Vector maths, in one place: similarity, normalisation, and the float32 byte form vectors are stored and sent in. */
/** Unit-length float32 copy of a vector, so similarity is a dot product. */
export function unitVector(values: ArrayLike<number>): Float32Array {
  const vector = Float32Array.from(values as ArrayLike<number>);
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Float32 little-endian bytes: how vectors sit in D1 (4 bytes a dimension, no JSON overhead). */
export function vectorToBlob(vector: Float32Array): Uint8Array {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  vector.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return bytes;
}

/** D1 hands BLOBs back as an ArrayBuffer or as an array of byte values, depending on the path. */
export function blobToVector(blob: ArrayBuffer | Uint8Array | number[]): Float32Array {
  const bytes = blob instanceof Uint8Array ? blob : Array.isArray(blob) ? Uint8Array.from(blob) : new Uint8Array(blob);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vector = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < vector.length; i++) vector[i] = view.getFloat32(i * 4, true);
  return vector;
}

/** Cosine similarity of two equal-length vectors; 0 when either is all zeros (e.g. a text with no known words). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`cosine of vectors of ${a.length} and ${b.length} dimensions`);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb);
}

/** Rounds a score for the wire: 4 decimals is finer than any model's real precision. */
export const roundScore = (value: number) => Math.round(value * 10_000) / 10_000;

/** OpenAI's `encoding_format: "base64"`: the vector as little-endian float32 bytes, base64. */
export function float32Base64(vector: readonly number[]): string {
  const bytes = vectorToBlob(Float32Array.from(vector));
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(binary);
}
