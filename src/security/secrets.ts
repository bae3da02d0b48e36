import { ApiError } from '../contracts/errors';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Local development only, like the dev admin token: never used when ENVIRONMENT is production. */
const DEV_SECRETS_KEY = 'bWlubm93LWxvY2FsLWRldmVsb3BtZW50LWtleS0zMmI=';
const keys = new Map<string, Promise<CryptoKey>>();

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

function keyMaterial(env: { SECRETS_KEY?: string; ENVIRONMENT?: string }): string {
  if (env.SECRETS_KEY) return env.SECRETS_KEY;
  if (env.ENVIRONMENT === 'development') return DEV_SECRETS_KEY;
  throw new ApiError(503, 'secrets_key_missing', 'Storing secrets needs the SECRETS_KEY Worker secret (32 random bytes, base64)');
}

function importKey(material: string): Promise<CryptoKey> {
  let key = keys.get(material);
  if (!key) {
    const raw = fromBase64(material);
    if (raw.length !== 32) throw new ApiError(503, 'secrets_key_invalid', 'SECRETS_KEY must be 32 bytes, base64-encoded');
    key = crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
    keys.set(material, key);
  }
  return key;
}

/**
 * AES-256-GCM with a fresh 96-bit IV. `context` (e.g. tenant and task) is bound as additional
 * data, so a ciphertext copied to another tenant's row does not decrypt.
 */
export async function encryptSecret(env: { SECRETS_KEY?: string; ENVIRONMENT?: string }, plaintext: string, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await importKey(keyMaterial(env));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, key, encoder.encode(plaintext));
  return `v1.${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
}

export async function decryptSecret(env: { SECRETS_KEY?: string; ENVIRONMENT?: string }, sealed: string, context: string): Promise<string> {
  const [version, iv, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !data) throw new ApiError(503, 'secret_unreadable', 'A stored secret is in an unknown format');
  const key = await importKey(keyMaterial(env));
  try {
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: fromBase64(iv), additionalData: encoder.encode(context) }, key, fromBase64(data));
    return decoder.decode(plain);
  } catch {
    throw new ApiError(503, 'secret_unreadable', 'A stored secret cannot be decrypted (was SECRETS_KEY changed?)');
  }
}
