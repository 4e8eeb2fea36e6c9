import ipaddr from 'ipaddr.js';

/** Parses `10.0.0.0/8`, `::1/128` or a bare address (a /32 or /128); null when invalid. */
export function parseCidr(text: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | null {
  try {
    if (text.includes('/')) return ipaddr.parseCIDR(text);
    const addr = ipaddr.parse(text);
    return [addr, addr.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return null;
  }
}
