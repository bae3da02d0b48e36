/**
 * Where outbound deliveries may go. https only; plain http only to the local machine when
 * ENVIRONMENT=development. Outside development, hosts that name this machine or a private
 * network (localhost, *.internal, cloud metadata) and IP literals in private, loopback,
 * link-local, shared, multicast or reserved ranges are refused. A Worker cannot resolve DNS
 * itself; `resolvesPublicly` asks DNS-over-HTTPS in production (see docs/webhooks.md for limits).
 */
export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const BLOCKED_NAME = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/i;
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata', 'instance-data']);
export const MAX_URL_CHARS = 2048;

/** IPv4 ranges no delivery may reach (RFC 6890 special-purpose, plus multicast and reserved). */
const BLOCKED_V4: [number, number][] = [
  [0x00000000, 8], [0x0a000000, 8], [0x64400000, 10], [0x7f000000, 8], [0xa9fe0000, 16], [0xac100000, 12],
  [0xc0000000, 24], [0xc0000200, 24], [0xc0a80000, 16], [0xc6120000, 15], [0xc6336400, 24], [0xcb007100, 24],
  [0xe0000000, 4], [0xf0000000, 4],
];

function ipv4Number(host: string): number | null {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return null;
  return parts.reduce((sum, part) => sum * 256 + Number(part), 0);
}

export function isBlockedIpv4(host: string): boolean {
  const value = ipv4Number(host);
  if (value === null) return false;
  return BLOCKED_V4.some(([base, bits]) => Math.floor(value / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
}

/** IPv6 literal (without brackets): loopback, unspecified, unique-local, link-local, multicast, mapped/translated IPv4. */
export function isBlockedIpv6(host: string): boolean {
  const address = host.toLowerCase();
  if (address === '::' || address === '::1') return true;
  if (/^f[cd]/.test(address) || /^fe[89ab]/.test(address) || address.startsWith('ff')) return true;
  // ::ffff:a.b.c.d (the URL parser writes it as ::ffff:7f00:1), 64:ff9b::/96 NAT64, 2002::/16 6to4: refuse
  // outright rather than decode each embedding.
  return address.startsWith('::ffff:') || address.startsWith('64:ff9b:') || address.startsWith('2002:') || /^::[0-9a-f]/.test(address);
}

export function checkDestinationUrl(raw: string, environment: string | undefined): UrlVerdict {
  if (raw.length > MAX_URL_CHARS) return { ok: false, reason: `must be at most ${MAX_URL_CHARS} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not an absolute URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'must not carry credentials; put a token in the path or verify our signature instead' };
  const development = environment === 'development';
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'http:') {
    if (development && LOCAL_HOSTS.has(host)) return { ok: true, url };
    return { ok: false, reason: development ? 'must be https (http is allowed only to localhost, 127.0.0.1 or [::1] in development)' : 'must be https' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'must be https' };
  if (development && LOCAL_HOSTS.has(host)) return { ok: true, url };
  if (METADATA_NAMES.has(host) || BLOCKED_NAME.test(host) || (!host.includes('.') && !host.startsWith('['))) {
    return { ok: false, reason: `must not point at a local or internal host (${host})` };
  }
  if (isBlockedIpv4(host) || (host.startsWith('[') && isBlockedIpv6(host.slice(1, -1)))) {
    return { ok: false, reason: `must not point at a private, loopback, link-local or reserved address (${host})` };
  }
  return { ok: true, url };
}

type DohAnswer = { Answer?: { type: number; data: string }[] };

/**
 * Production only: resolves the host through DNS-over-HTTPS and refuses it when any A/AAAA answer
 * is private. This narrows, but cannot close, DNS rebinding: the fetch resolves again later.
 */
export async function resolvesPublicly(host: string, fetcher: typeof fetch = fetch): Promise<UrlVerdict | { ok: true }> {
  if (ipv4Number(host) !== null || host.startsWith('[')) return { ok: true };
  for (const type of ['A', 'AAAA']) {
    const response = await fetcher(`https://cloudflare-dns.com/dns-query?name=${encodeURIComponent(host)}&type=${type}`, {
      headers: { accept: 'application/dns-json' },
    });
    if (!response.ok) return { ok: false, reason: `could not be checked: DNS-over-HTTPS answered ${response.status}` };
    const answer = (await response.json()) as DohAnswer;
    for (const record of answer.Answer ?? []) {
      if ((record.type === 1 && isBlockedIpv4(record.data)) || (record.type === 28 && isBlockedIpv6(record.data))) {
        return { ok: false, reason: `resolves to a private or reserved address (${record.data})` };
      }
    }
  }
  return { ok: true };
}
