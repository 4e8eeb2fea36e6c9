import { describe, expect, it } from 'vitest';
import { LeaseBank } from './lease-bank.js';
import type { LimitRule } from './limiter.js';

const T = Date.UTC(2025, 0, 31, 12, 0, 0, 0);
const perSecond: LimitRule[] = [{ kind: 'rate', window: 'second', limit: 10 }];

/** Leases units of `k` at `now` until the bank refuses; how many it granted in all. */
function takeAll(bank: LeaseBank, now: number): number {
  let total = 0;
  for (let g = bank.grant(1, 'k', perSecond, now, 10, 1).granted; g > 0; g = bank.grant(1, 'k', perSecond, now, 10, 1).granted) total += g;
  return total;
}

describe('lease bank windows', () => {
  it('counts a lease request that crossed a window boundary in its own window, not in place of the newer one', () => {
    const bank = new LeaseBank();
    // The next second has begun and its units are leased out.
    expect(takeAll(bank, T + 1_000)).toBe(10);
    // A request sent in the second before arrives late: it may take what that second had left...
    expect(takeAll(bank, T + 999)).toBe(10);
    // ...and the newer second stays full (before, the late request reset it and it admitted 10 more).
    expect(takeAll(bank, T + 1_001)).toBe(0);
    expect(bank.peek('k', perSecond, T + 1_500).counts).toEqual([10]);
  });

  it('admits nothing under a window older than the two it keeps', () => {
    const bank = new LeaseBank();
    bank.grant(1, 'k', perSecond, T + 2_000, 1, 1);
    bank.grant(1, 'k', perSecond, T + 1_000, 1, 1);
    expect(bank.grant(1, 'k', perSecond, T, 1, 1).granted).toBe(0);
  });
});
