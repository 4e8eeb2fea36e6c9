import { BlockList, isIP } from 'node:net';

// Everything a server-side fetch must not reach unless private networks are allowed: this host, private
// networks, link-local (including the cloud metadata endpoint 169.254.169.254), CGNAT, multicast and
// reserved or documentation ranges.
const V4: Array<[string, number]> = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
// Ranges that tunnel to an IPv4 address (NAT64 64:ff9b::/96 and /48, IPv4-translated ::ffff:0:0:0/96,
// 6to4 2002::/16, Teredo 2001::/32) are refused outright: the embedded address could be any host.
// 100::/64 is discard-only, so nothing legitimate answers there.
const V6: Array<[string, number]> = [
  ['::', 128],
  ['::1', 128],
  ['::ffff:0:0:0', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 32],
  ['2001:2::', 48],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
];

const blocked = new BlockList();
for (const [net, prefix] of V4) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of V6) blocked.addSubnet(net, prefix, 'ipv6');

/** True when `address` (IPv4, IPv6 or IPv4-mapped IPv6) is a public unicast address an outbound request may reach; anything unparsable is not. */
export function isPublicAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(ip);
  if (family === 4) return !blocked.check(ip, 'ipv4');
  if (family !== 6) return false;
  const embedded = embeddedIPv4(ip);
  if (embedded !== undefined) return embedded !== null && !blocked.check(embedded, 'ipv4');
  return !blocked.check(ip, 'ipv6');
}

/** True when an address is loopback, private, link-local or otherwise not public (the SSRF guard's refusal). */
export function isPrivateAddress(address: string): boolean {
  return !isPublicAddress(address);
}

// IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses reach the IPv4 host, so the
// IPv4 rules apply. Returns undefined when the address embeds no IPv4 address, null when it is malformed.
function embeddedIPv4(ip: string): string | null | undefined {
  const groups = expandIPv6(ip);
  if (!groups) return null;
  const head = groups.slice(0, 5).every((g) => g === 0);
  if (!head || (groups[5] !== 0xffff && groups[5] !== 0)) return undefined;
  if (groups[5] === 0 && groups[6] === 0) return undefined;
  const [hi = 0, lo = 0] = groups.slice(6);
  return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');
}

function expandIPv6(ip: string): number[] | null {
  let text = ip.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    const octets = dotted[1].split('.').map(Number);
    const [a = 0, b = 0, c = 0, d = 0] = octets;
    text = `${text.slice(0, -dotted[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left = '', right] = text.split('::');
  const head = left ? left.split(':') : [];
  const tail = right ? right.split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (right === undefined ? missing !== 0 : missing < 0) return null;
  const parts = [...head, ...Array<string>(Math.max(missing, 0)).fill('0'), ...tail];
  const groups = parts.map((p) => Number.parseInt(p || '0', 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}
