import { describe, expect, it } from 'vitest';
import { checkDestinationUrl, resolvesPublicly } from '../../src/webhooks/url-policy';

describe('destination URL policy', () => {
  it.each([
    'https://hooks.example.com/minnow',
    'https://example.com:8443/path?x=1',
    'https://93.184.216.34/hook',
    'https://[2606:4700::1111]/hook',
  ])('allows %s in production', (url) => {
    expect(checkDestinationUrl(url, 'production').ok).toBe(true);
  });

  it.each([
    ['http://hooks.example.com/', 'must be https'],
    ['ftp://example.com/', 'must be https'],
    ['not a url', 'absolute URL'],
    ['https://user:pass@example.com/', 'credentials'],
    ['https://localhost/', 'local or internal'],
    ['https://api.localhost/', 'local or internal'],
    ['https://printer.local/', 'local or internal'],
    ['https://db.internal/', 'local or internal'],
    ['https://metadata.google.internal/computeMetadata/v1/', 'local or internal'],
    ['https://intranet/', 'local or internal'],
    ['https://127.0.0.1/', 'private'],
    ['https://127.1/', 'private'],
    ['https://2130706433/', 'private'],
    ['https://0x7f000001/', 'private'],
    ['https://10.1.2.3/', 'private'],
    ['https://172.16.0.1/', 'private'],
    ['https://172.31.255.255/', 'private'],
    ['https://192.168.1.1/', 'private'],
    ['https://169.254.169.254/latest/meta-data/', 'private'],
    ['https://100.64.0.1/', 'private'],
    ['https://0.0.0.0/', 'private'],
    ['https://224.0.0.1/', 'private'],
    ['https://[::1]/', 'private'],
    ['https://[::]/', 'private'],
    ['https://[fd00::1]/', 'private'],
    ['https://[fe80::1]/', 'private'],
    ['https://[::ffff:127.0.0.1]/', 'private'],
    ['https://[::ffff:10.0.0.1]/', 'private'],
    ['http://127.0.0.1:8080/', 'must be https'],
  ])('refuses %s in production (%s)', (url, reason) => {
    const verdict = checkDestinationUrl(url, 'production');
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toContain(reason);
  });

  it('allows plain http only to this machine, and only in development', () => {
    for (const url of ['http://127.0.0.1:9999/r', 'http://localhost:8080/r', 'http://[::1]:8080/r']) {
      expect(checkDestinationUrl(url, 'development').ok, url).toBe(true);
      expect(checkDestinationUrl(url, 'production').ok, url).toBe(false);
    }
    expect(checkDestinationUrl('http://example.com/', 'development').ok).toBe(false);
    expect(checkDestinationUrl('http://10.0.0.5/', 'development').ok).toBe(false);
    expect(checkDestinationUrl('https://172.16.0.1/', 'development').ok).toBe(false);
  });

  it('refuses a name that DNS-over-HTTPS resolves to a private address', async () => {
    const doh = (answers: Record<string, { type: number; data: string }[]>) =>
      (async (input: RequestInfo | URL) => {
        const type = new URL(String(input)).searchParams.get('type')!;
        return Response.json({ Answer: answers[type] ?? [] });
      }) as typeof fetch;
    expect(await resolvesPublicly('hooks.example.com', doh({ A: [{ type: 1, data: '93.184.216.34' }] }))).toEqual({ ok: true });
    expect(await resolvesPublicly('rebind.example.com', doh({ A: [{ type: 1, data: '10.0.0.7' }] }))).toMatchObject({ ok: false, reason: expect.stringContaining('10.0.0.7') });
    expect(await resolvesPublicly('v6.example.com', doh({ AAAA: [{ type: 28, data: 'fd00::2' }] }))).toMatchObject({ ok: false });
    // CNAME records (type 5) are followed by the resolver; only the addresses are judged.
    expect(await resolvesPublicly('alias.example.com', doh({ A: [{ type: 5, data: 'internal.example.net.' }, { type: 1, data: '169.254.169.254' }] }))).toMatchObject({ ok: false });
    const failing = (async () => new Response('no', { status: 502 })) as unknown as typeof fetch;
    expect(await resolvesPublicly('hooks.example.com', failing)).toMatchObject({ ok: false });
  });
});
