import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkDestinationUrl, checksDns, resolvesPublicly } from '../../src/webhooks/url-policy';

describe('destination URL policy', () => {
  it.each([
    'https://hooks.example.com/minnow',
    'https://example.com:8443/path?x=1',
    'https://93.184.216.34/hook',
    'https://[2606:4700::1111]/hook',
    'https://hooks.example.com./minnow',
    'https://HOOKS.Example.COM/minnow',
    'https://100.63.255.255/',
    'https://100.128.0.1/',
    'https://172.15.255.255/',
    'https://172.32.0.1/',
    'https://192.169.0.1/',
    'https://[2001:200::1]/',
    'https://[2a00:1450:4001::200e]/',
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
    // Trailing dots, case, width, percent-encoding and IDNA reach the policy normalised.
    ['https://metadata.google.internal./computeMetadata/v1/', 'local or internal'],
    ['https://localhost./', 'local or internal'],
    ['https://localhost../', 'local or internal'],
    ['https://x.internal./', 'local or internal'],
    ['https://router.lan./', 'local or internal'],
    ['https://ＬＯＣＡＬＨＯＳＴ/', 'local or internal'],
    ['https://local%68ost/', 'local or internal'],
    ['https://Router.LAN/', 'local or internal'],
    ['https://127.0.0.1./', 'private'],
    // Special-use names (RFC 6761, 6762, 7686, 8375, 9476) and never-delegated private ones.
    ['https://printer.home/', 'local or internal'],
    ['https://fs.corp/', 'local or internal'],
    ['https://1.0.0.127.in-addr.arpa/', 'local or internal'],
    ['https://router.home.arpa/', 'local or internal'],
    ['https://hooks.test/', 'local or internal'],
    ['https://x.invalid/', 'local or internal'],
    ['https://x.example/', 'local or internal'],
    ['https://abc.onion/', 'local or internal'],
    ['https://x.alt/', 'local or internal'],
    ['https://example./', 'local or internal'],
    // IPv4 special-purpose ranges the old list missed, and the broadcast address.
    ['https://192.31.196.1/', 'private'],
    ['https://192.52.193.1/', 'private'],
    ['https://192.88.99.1/', 'private'],
    ['https://192.175.48.1/', 'private'],
    ['https://198.19.255.255/', 'private'],
    ['https://255.255.255.255/', 'private'],
    // IPv6 special-purpose ranges, and everything outside global unicast (2000::/3).
    ['https://[fec0::1]/', 'private'],
    ['https://[feff::1]/', 'private'],
    ['https://[100::1]/', 'private'],
    ['https://[2001:db8::1]/', 'private'],
    ['https://[2001::1]/', 'private'],
    ['https://[2001:2::1]/', 'private'],
    ['https://[2001:10::1]/', 'private'],
    ['https://[2001:1ff:ffff::1]/', 'private'],
    ['https://[2002:7f00:1::]/', 'private'],
    ['https://[2620:4f:8000::1]/', 'private'],
    ['https://[3fff::1]/', 'private'],
    ['https://[5f00::1]/', 'private'],
    ['https://[64:ff9b::8.8.8.8]/', 'private'],
    ['https://[64:ff9b:1::1]/', 'private'],
    ['https://[::ffff:0:7f00:1]/', 'private'],
    ['https://[::7f00:1]/', 'private'],
    ['https://[4000::1]/', 'private'],
    ['https://[ff02::1]/', 'private'],
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

  it('refuses any address inside every special-purpose range, however it is written', () => {
    const v4: [number, number][] = [
      [0x00000000, 8], [0x0a000000, 8], [0x64400000, 10], [0x7f000000, 8], [0xa9fe0000, 16], [0xac100000, 12], [0xc0000000, 24], [0xc0000200, 24],
      [0xc01fc400, 24], [0xc034c100, 24], [0xc0586300, 24], [0xc0a80000, 16], [0xc0af3000, 24], [0xc6120000, 15], [0xc6336400, 24], [0xcb007100, 24],
      [0xe0000000, 4], [0xf0000000, 4],
    ];
    const dotted = (value: number) => [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
    fc.assert(
      fc.property(fc.constantFrom(...v4), fc.nat(), fc.constantFrom('dotted', 'decimal', 'hex'), ([base, bits], offset, form) => {
        const value = (base + (offset % 2 ** (32 - bits))) >>> 0;
        const host = form === 'dotted' ? dotted(value) : form === 'decimal' ? String(value) : `0x${value.toString(16)}`;
        expect(checkDestinationUrl(`https://${host}/`, 'production').ok, host).toBe(false);
      }),
      { seed: 16, numRuns: 400 },
    );
    const v6: [number[], number][] = [
      [[0, 0, 0, 0, 0, 0, 0, 0], 96], [[0, 0, 0, 0, 0, 0xffff, 0, 0], 96], [[0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96], [[0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48],
      [[0x100, 0, 0, 0, 0, 0, 0, 0], 64], [[0x2001, 0, 0, 0, 0, 0, 0, 0], 23], [[0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32], [[0x2002, 0, 0, 0, 0, 0, 0, 0], 16],
      [[0x2620, 0x4f, 0x8000, 0, 0, 0, 0, 0], 48], [[0x3fff, 0, 0, 0, 0, 0, 0, 0], 20], [[0x5f00, 0, 0, 0, 0, 0, 0, 0], 16], [[0xfc00, 0, 0, 0, 0, 0, 0, 0], 7],
      [[0xfe80, 0, 0, 0, 0, 0, 0, 0], 10], [[0xfec0, 0, 0, 0, 0, 0, 0, 0], 10], [[0xff00, 0, 0, 0, 0, 0, 0, 0], 8],
    ];
    fc.assert(
      fc.property(fc.constantFrom(...v6), fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), ([base, bits], random) => {
        const groups = base.map((group, index) => {
          const fixed = Math.max(0, Math.min(16, bits - index * 16));
          const mask = fixed === 0 ? 0 : (0xffff << (16 - fixed)) & 0xffff;
          return (group & mask) | (random[index]! & ~mask & 0xffff);
        });
        const host = `[${groups.map((group) => group.toString(16)).join(':')}]`;
        expect(checkDestinationUrl(`https://${host}/`, 'production').ok, host).toBe(false);
      }),
      { seed: 16, numRuns: 400 },
    );
  });

  it('checks DNS in every deployed environment, not only production', () => {
    expect(checksDns('production')).toBe(true);
    expect(checksDns('staging')).toBe(true);
    expect(checksDns('preview')).toBe(true);
    expect(checksDns(undefined)).toBe(true);
    expect(checksDns('development')).toBe(false);
  });

  it('refuses a name public DNS does not resolve, and asks about it without its trailing dot', async () => {
    const asked: string[] = [];
    const doh = (answers: Record<string, { type: number; data: string }[]>) =>
      (async (input: RequestInfo | URL) => {
        const url = new URL(String(input));
        asked.push(url.searchParams.get('name')!);
        return Response.json({ Status: answers.A || answers.AAAA ? 0 : 3, Answer: answers[url.searchParams.get('type')!] ?? [] });
      }) as typeof fetch;
    expect(await resolvesPublicly('hooks.intranet-only.example.com.', doh({}))).toMatchObject({ ok: false, reason: expect.stringContaining('does not resolve') });
    expect(asked).toEqual(['hooks.intranet-only.example.com', 'hooks.intranet-only.example.com']);
    expect(await resolvesPublicly('v6only.example.com', doh({ AAAA: [{ type: 28, data: '2606:4700::1111' }] }))).toEqual({ ok: true });
    expect(await resolvesPublicly('nat64.example.com', doh({ AAAA: [{ type: 28, data: '64:ff9b::a00:1' }] }))).toMatchObject({ ok: false });
    expect(await resolvesPublicly('sitelocal.example.com', doh({ AAAA: [{ type: 28, data: 'fec0::1' }] }))).toMatchObject({ ok: false });
    expect(await resolvesPublicly('mapped.example.com', doh({ AAAA: [{ type: 28, data: '::ffff:192.168.0.1' }] }))).toMatchObject({ ok: false });
  });
});
