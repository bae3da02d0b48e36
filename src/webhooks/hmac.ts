const encoder = new TextEncoder();

export const toHex = (bytes: Uint8Array) => [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
export const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** Standard base64 (padding optional); null when it is not base64. */
export function fromBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}

export async function hmacSha256(key: Uint8Array | string, message: string): Promise<Uint8Array> {
  const raw = typeof key === 'string' ? encoder.encode(key) : key;
  const imported = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, encoder.encode(message)));
}

export const WHSEC_PREFIX = 'whsec_';

/** A Standard Webhooks secret's key bytes: base64 after the `whsec_` prefix (the prefix is optional). */
export function standardSecretKey(secret: string): Uint8Array | null {
  const key = fromBase64(secret.startsWith(WHSEC_PREFIX) ? secret.slice(WHSEC_PREFIX.length) : secret);
  return key && key.length > 0 ? key : null;
}

/** A new outbound signing secret: `whsec_` + 32 random bytes in base64 (Standard Webhooks format). */
export function newSigningSecret(): string {
  return WHSEC_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

/** The Standard Webhooks signature of one message: `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. */
export async function signStandard(secret: string, id: string, timestampSeconds: number, body: string): Promise<string> {
  const key = standardSecretKey(secret);
  if (!key) throw new Error('Signing secret is not a whsec_ secret');
  return `v1,${toBase64(await hmacSha256(key, `${id}.${timestampSeconds}.${body}`))}`;
}
