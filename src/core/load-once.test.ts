import { describe, expect, it } from 'vitest';
import { loadOnce } from './load-once.js';

describe('loadOnce', () => {
  it('runs one load for concurrent callers and keeps its result', async () => {
    let loads = 0;
    const once = loadOnce(async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 10));
      return { n: loads };
    });
    expect(once.value).toBeUndefined();
    const [a, b] = [once(), once()];
    expect(once.pending).toBe(a);
    expect(await a).toBe(await b);
    expect(once.value).toEqual({ n: 1 });
    expect(once.pending).toBeUndefined();
    expect(await once()).toEqual({ n: 1 });
    expect(loads).toBe(1);
  });

  it('forgets a failed load: the next call loads again', async () => {
    let loads = 0;
    const once = loadOnce(async () => {
      loads++;
      if (loads === 1) throw new Error('first load fails');
      return 'loaded';
    });
    await expect(Promise.all([once(), once()])).rejects.toThrow('first load fails');
    expect(once.pending).toBeUndefined();
    expect(once.value).toBeUndefined();
    expect(await once()).toBe('loaded');
    expect(loads).toBe(2);
  });
});
