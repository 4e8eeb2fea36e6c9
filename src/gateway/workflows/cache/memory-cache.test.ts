import { describe, expect, it } from 'vitest';
import { createMemoryCache } from './memory-cache.js';

const entry = (size: number) => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: Buffer.alloc(size, 'x') });

describe('memory response cache', () => {
  it('evicts the least recently used entries once its bytes are spent', () => {
    const cache = createMemoryCache(4_000);
    cache.set('a', entry(1_000), 60_000);
    cache.set('b', entry(1_000), 60_000);
    cache.set('c', entry(1_000), 60_000);
    // Reading a makes b the least recently used.
    expect(cache.get('a')?.body.length).toBe(1_000);
    cache.set('d', entry(1_000), 60_000);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('d')).toBeDefined();
    expect(cache.bytes).toBeLessThanOrEqual(4_000);
  });

  it('never keeps an entry larger than the whole cache, and drops expired entries', () => {
    let now = 1_000;
    const cache = createMemoryCache(2_000, () => now);
    cache.set('huge', entry(5_000), 60_000);
    expect(cache.size).toBe(0);
    cache.set('short', entry(10), 500);
    expect(cache.get('short')).toBeDefined();
    now += 501;
    expect(cache.get('short')).toBeUndefined();
    expect(cache.bytes).toBe(0);
  });

  it('replaces an entry stored again under the same key without counting it twice', () => {
    const cache = createMemoryCache(10_000);
    cache.set('k', entry(1_000), 60_000);
    const before = cache.bytes;
    cache.set('k', entry(1_000), 60_000);
    expect(cache.bytes).toBe(before);
    expect(cache.size).toBe(1);
  });
});
