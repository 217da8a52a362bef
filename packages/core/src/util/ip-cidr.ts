import { parseIpv4, parseIpv6 } from './ip-range.js';

/** An address as 16 bytes: IPv4 as its IPv4-mapped IPv6 form (`::ffff:a.b.c.d`). */
type Address16 = Uint8Array;

function fromV4(value: number): Address16 {
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  out[12] = (value >>> 24) & 0xff;
  out[13] = (value >>> 16) & 0xff;
  out[14] = (value >>> 8) & 0xff;
  out[15] = value & 0xff;
  return out;
}

function fromGroups(groups: readonly number[]): Address16 {
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/**
 * A peer address as 16 bytes, or `undefined` when it is not an IP literal. Accepts what
 * sockets report (`127.0.0.1`, `::1`, `::ffff:127.0.0.1`, `fe80::1%eth0`) and bracketed
 * IPv6; an IPv4-mapped IPv6 address is the IPv4 address it carries.
 */
export function parseAddress(text: string): Address16 | undefined {
  let host = text.trim().toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const zone = host.indexOf('%');
  if (zone >= 0) host = host.slice(0, zone);
  const v4 = parseIpv4(host);
  if (v4 !== undefined) return fromV4(v4);
  const groups = host.includes(':') ? parseIpv6(host) : undefined;
  return groups && fromGroups(groups);
}

/** One allow-list entry: an address and how many leading bits must match. */
interface AddressRange {
  readonly address: Address16;
  readonly bits: number;
}

/**
 * Parses an address (`10.0.0.1`, `::1`) or a CIDR range (`10.0.0.0/8`, `fd00::/8`), or
 * returns a message saying why not. IPv4 prefixes count IPv4 bits.
 */
export function parseAddressRange(entry: string): AddressRange | string {
  const slash = entry.indexOf('/');
  const host = slash < 0 ? entry : entry.slice(0, slash);
  const address = parseAddress(host);
  if (address === undefined) return `${JSON.stringify(entry)} is not an IP address or CIDR range`;
  const isV4 = parseIpv4(host.trim()) !== undefined;
  const max = isV4 ? 32 : 128;
  if (slash < 0) return { address, bits: 128 };
  const prefix = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) {
    return `${JSON.stringify(entry)} has an invalid prefix length (0-${max})`;
  }
  return { address, bits: Number(prefix) + (isV4 ? 96 : 0) };
}

function inRange(address: Address16, range: AddressRange): boolean {
  const whole = Math.floor(range.bits / 8);
  for (let i = 0; i < whole; i++) if (address[i] !== range.address[i]) return false;
  const rest = range.bits % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((address[whole] ?? 0) & mask) === ((range.address[whole] ?? 0) & mask);
}

/**
 * A test of peer addresses against an allow-list of addresses and CIDR ranges (parsed
 * once). Anything that is not an IP literal, or `undefined`, is not on the list.
 *
 * @example
 * ```ts
 * const trusted = createAddressMatcher(['127.0.0.1', '10.0.0.0/8']);
 * trusted('::ffff:10.1.2.3'); // true
 * ```
 * @throws TypeError when an entry is neither an address nor a CIDR range
 * @see RFC 4632 §3.1 (CIDR prefixes), RFC 4291 §2.5.5.2 (IPv4-mapped IPv6)
 */
export function createAddressMatcher(
  entries: readonly string[],
): (address: string | undefined) => boolean {
  const ranges = entries.map((entry) => {
    const range = parseAddressRange(entry);
    if (typeof range === 'string') throw new TypeError(range);
    return range;
  });
  return (text) => {
    if (text === undefined) return false;
    const address = parseAddress(text);
    return address !== undefined && ranges.some((range) => inRange(address, range));
  };
}
