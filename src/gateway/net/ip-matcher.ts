import ipaddr from 'ipaddr.js';
import { parseCidr } from '../../core/index.js';

type Addr = ipaddr.IPv4 | ipaddr.IPv6;

/** A compiled CIDR list: IPv4 ranges as integer masks, IPv6 ranges through ipaddr.js. */
export interface IpMatcher {
  readonly v4: Uint32Array;
  readonly v6: ReadonlyArray<[ipaddr.IPv6, number]>;
}

function v4ToInt(addr: ipaddr.IPv4): number {
  const o = addr.octets;
  return ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
}

function maskOf(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** Compiles CIDRs (or bare addresses); IPv4-mapped IPv6 ranges become IPv4 ranges. Invalid entries are skipped. */
export function compileIpMatcher(cidrs: readonly string[]): IpMatcher | null {
  if (cidrs.length === 0) return null;
  const v4: number[] = [];
  const v6: Array<[ipaddr.IPv6, number]> = [];
  for (const text of cidrs) {
    const parsed = parseCidr(text);
    if (!parsed) continue;
    let [addr, bits] = parsed;
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      addr = (addr as ipaddr.IPv6).toIPv4Address();
      bits -= 96;
    }
    if (addr.kind() === 'ipv4') {
      const mask = maskOf(bits);
      v4.push((v4ToInt(addr as ipaddr.IPv4) & mask) >>> 0, mask);
    } else {
      v6.push([addr as ipaddr.IPv6, bits]);
    }
  }
  return { v4: Uint32Array.from(v4), v6 };
}

/** Parses an address as the socket reports it; IPv4-mapped IPv6 becomes IPv4. Null when unparsable. */
export function parseIp(text: string): Addr | null {
  try {
    return ipaddr.process(text);
  } catch {
    return null;
  }
}

/** True when the address falls in any range of the matcher. */
export function ipMatches(matcher: IpMatcher, addr: Addr): boolean {
  if (addr.kind() === 'ipv4') {
    const n = v4ToInt(addr as ipaddr.IPv4);
    const v4 = matcher.v4;
    for (let i = 0; i < v4.length; i += 2) if ((n & v4[i + 1]!) >>> 0 === v4[i]) return true;
    return false;
  }
  for (const [range, bits] of matcher.v6) if ((addr as ipaddr.IPv6).match(range, bits)) return true;
  return false;
}

/** The address as logged: IPv4-mapped IPv6 shown as plain IPv4. */
export function displayIp(raw: string): string {
  return raw.startsWith('::ffff:') && raw.includes('.') ? raw.slice(7) : raw;
}
