import { describe, expect, it } from 'vitest';
import { addressKey, type LimitRule } from './limiter.js';
import { createMemoryLimiter } from './memory.js';
import { windowEnd, windowStart } from './windows.js';

const perSecond: LimitRule = { kind: 'rate', window: 'second', limit: 2 };
const perDay: LimitRule = { kind: 'quota', window: 'day', limit: 3 };
const T = Date.UTC(2025, 0, 31, 12, 0, 0, 500);

describe('memory limiter', () => {
  it('allows exactly the limit and refused calls consume nothing', async () => {
    const l = createMemoryLimiter();
    expect((await l.consume('k', [perSecond, perDay], T)).remaining).toBe(1);
    const second = await l.consume('k', [perSecond, perDay], T);
    expect([second.allowed, second.remaining, second.limit]).toEqual([true, 0, 2]);
    const refused = await l.consume('k', [perSecond, perDay], T);
    expect([refused.allowed, refused.failed]).toEqual([false, perSecond]);
    expect(refused.resetAt).toBe(T + 500);
    // The refused call did not touch the daily quota: one call is left in it.
    const next = await l.consume('k', [perSecond, perDay], T + 600);
    expect([next.allowed, next.remaining, next.limit]).toEqual([true, 0, 3]);
    const quota = await l.consume('k', [perSecond, perDay], T + 600);
    expect(quota.failed).toEqual(perDay);
  });

  it('keeps keys apart and resets at window boundaries', async () => {
    const l = createMemoryLimiter();
    await l.consume('a', [perSecond], T);
    await l.consume('a', [perSecond], T);
    expect((await l.consume('b', [perSecond], T)).allowed).toBe(true);
    expect((await l.consume('a', [perSecond], T)).allowed).toBe(false);
    expect((await l.consume('a', [perSecond], T + 500)).allowed).toBe(true);
  });

  it('stays within its key bound', async () => {
    const l = createMemoryLimiter({ maxKeys: 100 });
    for (let i = 0; i < 1000; i++) expect((await l.consume(`k${i}`, [perSecond], T)).allowed).toBe(true);
  });

  it('uses UTC calendar days and months', () => {
    expect(windowStart('day', T)).toBe(Date.UTC(2025, 0, 31));
    expect(windowStart('month', T)).toBe(Date.UTC(2025, 0, 1));
    expect(windowEnd('month', Date.UTC(2025, 0, 1))).toBe(Date.UTC(2025, 1, 1));
    expect(windowEnd('month', Date.UTC(2024, 11, 1))).toBe(Date.UTC(2025, 0, 1));
  });
});

describe('memory limiter under a flood of caller addresses', () => {
  it('evicts per-address counters before any credentialed caller loses its quota', async () => {
    const l = createMemoryLimiter({ maxKeys: 10 });
    await l.consume('client:a', [perDay], T);
    await l.consume('client:a', [perDay], T);
    for (let i = 0; i < 50; i++) await l.consume(addressKey('client:anon', `198.51.100.${i}`), [perDay], T);
    // client:a's day quota still counts its two calls: one is left, then it is refused.
    expect((await l.consume('client:a', [perDay], T)).remaining).toBe(0);
    expect((await l.consume('client:a', [perDay], T)).allowed).toBe(false);
  });
});

describe('address keys', () => {
  it('count an IPv4 address alone and an IPv6 address by its /64', () => {
    expect(addressKey('p', '198.51.100.7')).not.toBe(addressKey('p', '198.51.100.8'));
    expect(addressKey('p', '2001:db8:1:2::1')).toBe(addressKey('p', '2001:db8:1:2:ffff:eeee:dddd:cccc'));
    expect(addressKey('p', '2001:db8:1:2::1')).not.toBe(addressKey('p', '2001:db8:1:3::1'));
    expect(addressKey('p', '::ffff:198.51.100.7')).toBe(addressKey('p', '198.51.100.7'));
    expect(addressKey('p', null)).toBe('p:ip:');
  });
});
