import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret } from '../src/security/secrets';

describe('stored secrets', () => {
  it('round-trips, with a fresh IV each time', async () => {
    const [a, b] = [await encryptSecret(env, 'hf_token', 'ten_1:sentiment'), await encryptSecret(env, 'hf_token', 'ten_1:sentiment')];
    expect(a).not.toBe(b);
    expect(a).not.toContain('hf_token');
    expect(await decryptSecret(env, a, 'ten_1:sentiment')).toBe('hf_token');
  });

  it('does not decrypt under another tenant or task', async () => {
    const sealed = await encryptSecret(env, 'hf_token', 'ten_1:sentiment');
    await expect(decryptSecret(env, sealed, 'ten_2:sentiment')).rejects.toMatchObject({ code: 'secret_unreadable' });
  });

  it('refuses to store secrets in production without SECRETS_KEY', async () => {
    await expect(encryptSecret({ ENVIRONMENT: 'production' }, 'x', 'c')).rejects.toMatchObject({ status: 503, code: 'secrets_key_missing' });
  });
});
