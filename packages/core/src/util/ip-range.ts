/**
 * The address ranges a URL handed over by a server must not point into: where they are
 * reachable, they are the asker's own machine or network, not the public internet.
 */
export type IpRange =
  'unspecified' | 'loopback' | 'private' | 'link_local' | 'shared_address_space' | 'unique_local';

/** Human names of the ranges, for messages. */
export const IP_RANGE_NAMES: Readonly<Record<IpRange, string>> = {
  unspecified: 'the unspecified address (0.0.0.0/8, ::)',
  loopback: 'loopback (127.0.0.0/8, ::1)',
  private: 'a private network (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)',
  link_local: 'link-local (169.254.0.0/16, fe80::/10)',
  shared_address_space: 'carrier-grade NAT (100.64.0.0/10)',
  unique_local: 'unique-local (fc00::/7)',
};

/**
 * The non-public range an IP-literal host lies in, `'public'` for any other IP literal,
 * or `undefined` when `hostname` is not an IP literal (a DNS name). Expects the hostname as
 * WHATWG `URL` serializes it (IPv4 dotted decimal, IPv6 in brackets): decimal, hex and
 * octal IPv4 forms are normalized by `URL` before they get here. IPv4-mapped, IPv4-compatible,
 * NAT64 (64:ff9b::/96) and 6to4 (2002::/16) IPv6 addresses are judged by the IPv4 address
 * they carry. No DNS lookup is made.
 *
 * @see RFC 1918 §3, RFC 6598 §7, RFC 3927 §2.1, RFC 4193 §3, RFC 4291 §2.5.5, RFC 6052 §2.1
 */
export function ipRangeOf(hostname: string): IpRange | 'public' | undefined {
  const host = hostname.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) {
    const groups = parseIpv6(host.slice(1, -1));
    return groups && ipv6Range(groups);
  }
  const v4 = parseIpv4(host);
  return v4 === undefined ? undefined : ipv4Range(v4);
}

/** A dotted-decimal IPv4 address as a 32-bit number, or `undefined` when `host` is not one. */
export function parseIpv4(host: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return undefined;
  let value = 0;
  for (const part of m.slice(1)) {
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** `[prefix, bits, range]`, checked in order. */
const IPV4_RANGES: readonly (readonly [number, number, IpRange])[] = [
  [0x00000000, 8, 'unspecified'],
  [0x0a000000, 8, 'private'],
  [0x64400000, 10, 'shared_address_space'],
  [0x7f000000, 8, 'loopback'],
  [0xa9fe0000, 16, 'link_local'],
  [0xac100000, 12, 'private'],
  [0xc0a80000, 16, 'private'],
];

function ipv4Range(address: number): IpRange | 'public' {
  for (const [prefix, bits, range] of IPV4_RANGES) {
    const size = 2 ** (32 - bits);
    if (Math.floor(address / size) === Math.floor(prefix / size)) return range;
  }
  return 'public';
}

/** Eight 16-bit groups, or `undefined` when `text` is not an IPv6 address (no brackets). */
export function parseIpv6(text: string): number[] | undefined {
  let body = text;
  const tail: number[] = [];
  const dotted = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(body);
  if (dotted) {
    const v4 = parseIpv4(dotted[2] ?? '');
    if (v4 === undefined) return undefined;
    tail.push(Math.floor(v4 / 0x10000), v4 % 0x10000);
    body = (dotted[1] ?? '').endsWith('::') ? (dotted[1] ?? '') : (dotted[1] ?? '').slice(0, -1);
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const read = (part: string | undefined): number[] | undefined => {
    if (!part) return [];
    const out: number[] = [];
    for (const group of part.split(':')) {
      if (!/^[0-9a-f]{1,4}$/.test(group)) return undefined;
      out.push(parseInt(group, 16));
    }
    return out;
  };
  const head = read(halves[0]);
  const rest = read(halves[1]);
  if (!head || !rest) return undefined;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1) return known === 8 ? [...head, ...tail] : undefined;
  if (known > 7) return undefined;
  return [...head, ...new Array<number>(8 - known).fill(0), ...rest, ...tail];
}

function ipv6Range(g: number[]): IpRange | 'public' {
  const [g0 = 0, g1 = 0, g2 = 0, , , g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = (hi: number, lo: number) => ipv4Range(hi * 0x10000 + lo);
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(7) && g7 === 0) return 'unspecified';
  if (zeroUpTo(7) && g7 === 1) return 'loopback';
  if (zeroUpTo(5) && g5 === 0xffff) return embedded(g6, g7); // ::ffff:a.b.c.d
  if (zeroUpTo(6)) return embedded(g6, g7); // ::a.b.c.d (deprecated IPv4-compatible)
  if (g0 === 0x64 && g1 === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embedded(g6, g7); // NAT64
  if (g0 === 0x2002) return embedded(g1, g2); // 6to4
  if ((g0 & 0xffc0) === 0xfe80) return 'link_local';
  if ((g0 & 0xffc0) === 0xfec0) return 'unique_local'; // deprecated site-local
  if ((g0 & 0xfe00) === 0xfc00) return 'unique_local';
  return 'public';
}
