import { describe, expect, it } from 'vitest';
import { BucketedMap } from './bucketed-map.js';

describe('BucketedMap', () => {
  it('answers like a Map of the same entries after sets and deletes, and leaves each earlier version as it was', () => {
    const reference = new Map<string, number>();
    let map = BucketedMap.empty<number>();
    const versions: Array<[BucketedMap<number>, Map<string, number>]> = [];
    for (let round = 0; round < 20; round++) {
      const changes: Array<[string, number | undefined]> = [];
      for (let i = 0; i < 300; i++) {
        const key = `pol_${(round * 7919 + i * 104_729) % 2_000}`;
        const value = (round + i) % 5 === 0 ? undefined : round * 1000 + i;
        changes.push([key, value]);
        if (value === undefined) reference.delete(key);
        else reference.set(key, value);
      }
      map = map.with(changes);
      versions.push([map, new Map(reference)]);
    }
    for (const [version, expected] of versions) {
      expect(version.size).toBe(expected.size);
      expect(new Map(version)).toEqual(expected);
      expect([...expected.keys()].map((key) => version.get(key))).toEqual([...expected.values()]);
      expect([...expected.keys()].every((key) => version.has(key))).toBe(true);
      expect(version.has('pol_absent')).toBe(false);
      expect([...version.keys()].sort()).toEqual([...expected.keys()].sort());
      expect([...version.values()].sort()).toEqual([...expected.values()].sort());
      const seen: Array<[string, number]> = [];
      version.forEach((value, key) => {
        seen.push([key, value]);
      });
      expect(new Map(seen)).toEqual(expected);
    }
  });

  it('is itself again when a change set is empty, and counts a delete of an absent key as nothing', () => {
    const map = BucketedMap.empty<string>().with([['a', 'x']]);
    expect(map.with([])).toBe(map);
    const next = map.with([['absent', undefined]]);
    expect(next.size).toBe(1);
    expect(next.get('a')).toBe('x');
  });
});
