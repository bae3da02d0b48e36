/**
 * Content-Security-Policy hash sources for inline `<script>`/`<style>` bodies. A hash (rather than a
 * per-request nonce) lets a static page carry a static policy: nothing is generated per request.
 */
const encoder = new TextEncoder();

/** `'sha256-<base64>'` of the exact text between the tags, as browsers compute it (UTF-8). */
export async function cspHashSource(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return `'sha256-${btoa(binary)}'`;
}
