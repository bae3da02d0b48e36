const encoder = new TextEncoder();
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Two hex digits per byte value, built once: hashing is on every request's path (key lookup, cache key). */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
  let hex = '';
  for (const byte of digest) hex += HEX[byte];
  return hex;
}

/** A random base62 string; `length` characters carry ~5.95 bits each. */
export function randomBase62(length: number): string {
  // 248 = 4 * 62: rejecting bytes >= 248 keeps every character equally likely.
  const out: string[] = [];
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < 248 && out.length < length) out.push(BASE62[byte % 62]!);
    }
  }
  return out.join('');
}

/** Prefixed random identifier, e.g. `ten_3fK…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBase62(16)}`;
}

/** Compares two secrets without leaking where they differ through timing. */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  // Hashing first gives equal-length inputs, so the length is not leaked either.
  const [left, right] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(a)),
    crypto.subtle.digest('SHA-256', encoder.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(left, right);
}
