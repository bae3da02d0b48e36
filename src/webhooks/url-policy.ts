/**
 * Where outbound deliveries may go. https only; plain http only to the local machine when
 * ENVIRONMENT=development. Outside development, hosts that name this machine, a private network
 * or a special-use domain (localhost, *.internal, *.lan, cloud metadata, RFC 6761 names) and IP
 * literals in any special-purpose range of the IANA IPv4 and IPv6 registries (RFC 6890 and later)
 * are refused. Names are judged as the URL parser leaves them (IDNA-mapped: case and width folded,
 * percent-decoded, punycode) with trailing dots removed, so `localhost.` or `ＬＯＣＡＬＨＯＳＴ` is
 * `localhost`. A Worker cannot resolve DNS itself; `resolvesPublicly` asks DNS-over-HTTPS in every
 * deployed environment (see docs/webhooks.md for what that cannot close).
 */
export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
/**
 * Names that are never public destinations: this machine, private and home networks, and the
 * special-use domains (RFC 6761 test/invalid/example/localhost, RFC 6762 local, RFC 7686 onion,
 * RFC 8375 home.arpa and the rest of .arpa, RFC 9476 alt, ICANN's reserved internal, and the
 * never-delegated home, corp, lan, intranet, localdomain).
 */
const BLOCKED_NAME = /(^|\.)(localhost|local|internal|intranet|lan|localdomain|home|corp|arpa|test|invalid|example|onion|alt)$/;
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata', 'instance-data', 'metadata.azure.com']);
export const MAX_URL_CHARS = 2048;

/** The host as the policy judges it: lowercase, without trailing dots (`localhost.` is `localhost`). */
export function normalizedHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.+$/, '');
}

/**
 * IPv4 special-purpose ranges (IANA registry, RFC 6890 and updates), multicast and reserved: no
 * delivery may reach them, whether the registry calls them globally reachable or not.
 */
const BLOCKED_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared address space (CGNAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.31.196.0', 24], // AS112-v4
  ['192.52.193.0', 24], // AMT
  ['192.88.99.0', 24], // deprecated 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['192.175.48.0', 24], // direct delegation AS112 service
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the limited broadcast address
];

function ipv4Number(host: string): number | null {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return null;
  return parts.reduce((sum, part) => sum * 256 + Number(part), 0);
}

const inV4 = (value: number, [base, bits]: [string, number]) => Math.floor(value / 2 ** (32 - bits)) === Math.floor(ipv4Number(base)! / 2 ** (32 - bits));

export function isBlockedIpv4(host: string): boolean {
  const value = ipv4Number(host);
  return value !== null && BLOCKED_V4.some((range) => inV4(value, range));
}

/** An IPv6 address (without brackets; `::` shorthand and a dotted IPv4 tail allowed) as its 8 groups, or null. */
export function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase();
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (dotted) {
    const value = ipv4Number(dotted[1]!);
    if (value === null) return null;
    text = `${text.slice(0, dotted.index)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return groups.map((group) => parseInt(group, 16));
}

/**
 * IPv6 special-purpose ranges (IANA registry, RFC 6890 and updates) and everything outside global
 * unicast (2000::/3): loopback, unspecified, IPv4-mapped and -compatible, NAT64 (both), discard-only
 * (100::/64), IETF protocol assignments (2001::/23: Teredo, benchmarking, ORCHID …), documentation
 * (2001:db8::/32, 3fff::/20), 6to4 (2002::/16), AS112 (2620:4f:8000::/48), unique-local (fc00::/7),
 * link-local (fe80::/10), site-local (fec0::/10), multicast, SRv6 SIDs (5f00::/16).
 */
const BLOCKED_V6: [string, number][] = [
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['2620:4f:8000::', 48],
  ['3fff::', 20],
];
const GLOBAL_UNICAST: [string, number] = ['2000::', 3];

function inV6(groups: number[], [base, bits]: [string, number]): boolean {
  const prefix = ipv6Groups(base)!;
  for (let index = 0; index < 8 && bits > 0; index++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if ((groups[index]! & mask) !== (prefix[index]! & mask)) return false;
  }
  return true;
}

/** True for any IPv6 literal (without brackets) that is not plain global unicast; unparseable ones too. */
export function isBlockedIpv6(host: string): boolean {
  const groups = ipv6Groups(host);
  if (!groups) return true;
  return !inV6(groups, GLOBAL_UNICAST) || BLOCKED_V6.some((range) => inV6(groups, range));
}

/** Whether destinations are checked against public DNS: everywhere but local development. */
export const checksDns = (environment: string | undefined): boolean => environment !== 'development';

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
  const host = normalizedHost(url.hostname);
  if (url.protocol === 'http:') {
    if (development && LOCAL_HOSTS.has(host)) return { ok: true, url };
    return { ok: false, reason: development ? 'must be https (http is allowed only to localhost, 127.0.0.1 or [::1] in development)' : 'must be https' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'must be https' };
  if (development && LOCAL_HOSTS.has(host)) return { ok: true, url };
  if (isBlockedIpv4(host) || (host.startsWith('[') && isBlockedIpv6(host.slice(1, -1)))) {
    return { ok: false, reason: `must not point at a private, loopback, link-local or reserved address (${host})` };
  }
  if (METADATA_NAMES.has(host) || BLOCKED_NAME.test(host) || (!host.includes('.') && !host.startsWith('['))) {
    return { ok: false, reason: `must not point at a local or internal host (${host})` };
  }
  return { ok: true, url };
}

type DohAnswer = { Status?: number; Answer?: { type: number; data: string }[] };

/**
 * Resolves the host through DNS-over-HTTPS (in every deployed environment: see `checksDns`) and
 * refuses it when any A/AAAA answer is in a blocked range, or when there is none at all: a name
 * public DNS does not know cannot be a public destination. This narrows, but cannot close, DNS
 * rebinding: the fetch resolves again later.
 */
export async function resolvesPublicly(hostname: string, fetcher: typeof fetch = fetch): Promise<UrlVerdict | { ok: true }> {
  const host = normalizedHost(hostname);
  if (ipv4Number(host) !== null || host.startsWith('[')) return { ok: true };
  let addresses = 0;
  for (const type of ['A', 'AAAA']) {
    const response = await fetcher(`https://cloudflare-dns.com/dns-query?name=${encodeURIComponent(host)}&type=${type}`, {
      headers: { accept: 'application/dns-json' },
    });
    if (!response.ok) return { ok: false, reason: `could not be checked: DNS-over-HTTPS answered ${response.status}` };
    const answer = (await response.json()) as DohAnswer;
    for (const record of answer.Answer ?? []) {
      if (record.type !== 1 && record.type !== 28) continue; // CNAMEs are followed by the resolver
      addresses++;
      if ((record.type === 1 && (ipv4Number(record.data) === null || isBlockedIpv4(record.data))) || (record.type === 28 && isBlockedIpv6(record.data))) {
        return { ok: false, reason: `resolves to a private or reserved address (${record.data})` };
      }
    }
  }
  if (addresses === 0) return { ok: false, reason: `does not resolve in public DNS (${host})` };
  return { ok: true };
}
