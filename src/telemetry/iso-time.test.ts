import { describe, expect, it } from 'vitest';
import { isoTime } from './iso-time.js';

describe('isoTime', () => {
  it('matches toISOString across seconds, minutes, days and years, in any order', () => {
    const base = Date.UTC(2026, 11, 31, 23, 59, 58, 990);
    const times = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 1999, 2000, 2500, 61_000, 86_400_000, -1, 7].map((d) => base + d);
    for (const t of times) expect(isoTime(t)).toBe(new Date(t).toISOString());
    for (const t of [base + 0.5, base + 9.999]) expect(isoTime(t)).toBe(new Date(t).toISOString());
    for (const t of [0, 999, 1000, Date.UTC(1999, 0, 1), Date.UTC(2000, 1, 29, 12, 0, 0, 5), 253_402_300_799_999])
      expect(isoTime(t)).toBe(new Date(t).toISOString());
  });

  it('falls back to toISOString for years outside 0000–9999', () => {
    for (const t of [253_402_300_800_000, Date.UTC(-1, 0, 1, 0, 0, 0, 123)]) expect(isoTime(t)).toBe(new Date(t).toISOString());
  });
});
