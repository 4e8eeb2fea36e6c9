import type ipaddr from 'ipaddr.js';
import { parseIp } from './ip-matcher.js';

/**
 * The group a caller address is counted under for per-address limits: an IPv4 address itself, an
 * IPv6 address's /64. A /64 is what one subscriber or host is usually given, so rotating addresses
 * inside it would otherwise earn a fresh counter per request.
 */
export function addressGroup(ip: string): string {
  if (!ip.includes(':')) return ip;
  const addr = parseIp(ip);
  if (addr === null) return ip;
  if (addr.kind() === 'ipv4') return addr.toString();
  const parts = (addr as ipaddr.IPv6).parts;
  return `${parts[0]!.toString(16)}:${parts[1]!.toString(16)}:${parts[2]!.toString(16)}:${parts[3]!.toString(16)}::/64`;
}
