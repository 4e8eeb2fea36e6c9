import { describe, expect, it } from 'vitest';
import { IntTable } from './int-table.js';

describe('integer table', () => {
  it('answers what a Map of the same entries answers, across growth and overwrites', () => {
    const table = new IntTable(4);
    const map = new Map<number, number>();
    let seed = 3;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed;
    };
    for (let i = 0; i < 5_000; i++) {
      const key = next() % 20_000;
      const value = next() % 1_000;
      table.set(key, value);
      map.set(key, value);
    }
    for (let key = 0; key < 20_000; key++) expect(table.get(key)).toBe(map.get(key) ?? -1);
  });
});
