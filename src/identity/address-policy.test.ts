import { describe, expect, it } from 'vitest';
import { isPublicAddress } from './address-policy.js';

describe('outbound address policy', () => {
  it('allows public IPv4 and refuses loopback, private, link-local, CGNAT, this-network, multicast and reserved', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '100.63.255.255', '100.128.0.1', '172.15.255.255', '172.32.0.1', '192.169.0.1']) {
      expect(isPublicAddress(ip), ip).toBe(true);
    }
    for (const ip of [
      '127.0.0.1',
      '127.255.255.254',
      '10.0.0.1',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '169.254.0.1',
      '100.64.0.1',
      '100.127.255.255',
      '0.0.0.0',
      '0.1.2.3',
      '224.0.0.1',
      '239.255.255.250',
      '240.0.0.1',
      '255.255.255.255',
      '192.0.2.1',
    ]) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
  });

  it('allows public IPv6 and refuses loopback, unspecified, ULA, link-local, multicast and tunnels', () => {
    expect(isPublicAddress('2606:4700:4700::1111')).toBe(true);
    expect(isPublicAddress('2a00:1450:4001:82b::200e')).toBe(true);
    for (const ip of [
      '::1',
      '::',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      'fe80::1%eth0',
      'febf::1',
      'ff02::1',
      '2001:db8::1',
      '64:ff9b::a00:1',
      '2002:a00:1::1',
      '[::1]',
    ]) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
  });

  it('applies the IPv4 rules to IPv4-mapped and IPv4-compatible IPv6 addresses', () => {
    expect(isPublicAddress('::ffff:8.8.8.8')).toBe(true);
    expect(isPublicAddress('::ffff:808:808')).toBe(true);
    for (const ip of [
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '::ffff:a9fe:a9fe',
      '::ffff:169.254.169.254',
      '::127.0.0.1',
      '0:0:0:0:0:ffff:c0a8:0101',
    ]) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
  });

  it('refuses anything that is not an IP address', () => {
    for (const value of ['localhost', 'example.com', '1.2.3', '', '::ffff:zzzz:1', '1::2::3']) expect(isPublicAddress(value), value).toBe(false);
  });
});
