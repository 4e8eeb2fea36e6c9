import { describe, expect, it } from 'vitest';
import { resolveClientIp } from './client-ip.js';
import { compileIpMatcher, ipMatches, parseIp } from './ip-matcher.js';

function allows(cidrs: string[], ip: string): boolean {
  return ipMatches(compileIpMatcher(cidrs)!, parseIp(ip)!);
}

describe('IP matcher', () => {
  it('matches IPv4 and IPv6 ranges and bare addresses', () => {
    expect(allows(['10.0.0.0/8'], '10.200.1.1')).toBe(true);
    expect(allows(['10.0.0.0/8'], '11.0.0.1')).toBe(false);
    expect(allows(['0.0.0.0/0'], '8.8.8.8')).toBe(true);
    expect(allows(['192.168.1.7'], '192.168.1.7')).toBe(true);
    expect(allows(['2001:db8::/32'], '2001:db8:1::5')).toBe(true);
    expect(allows(['2001:db8::/32'], '2001:db9::5')).toBe(false);
  });

  it('treats IPv4-mapped IPv6 as IPv4, both in the list and from the socket', () => {
    expect(allows(['127.0.0.0/8'], '::ffff:127.0.0.1')).toBe(true);
    expect(allows(['::ffff:10.0.0.0/104'], '10.1.1.1')).toBe(true);
  });

  it('believes X-Forwarded-For only from trusted peers, right to left', () => {
    const trusted = compileIpMatcher(['127.0.0.1', '10.0.0.0/8']);
    expect(resolveClientIp('127.0.0.1', '203.0.113.5, 10.0.0.2', trusted)).toBe('203.0.113.5');
    expect(resolveClientIp('127.0.0.1', '1.1.1.1, 203.0.113.5', trusted)).toBe('203.0.113.5');
    expect(resolveClientIp('198.51.100.1', '203.0.113.5', trusted)).toBe('198.51.100.1');
    expect(resolveClientIp('127.0.0.1', 'garbage', trusted)).toBe('127.0.0.1');
  });
});
