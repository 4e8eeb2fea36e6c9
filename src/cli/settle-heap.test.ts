import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { settleHeap } from './settle-heap.js';

describe('settleHeap', () => {
  it('collects garbage at once, without --expose-gc on the command line', async () => {
    let target: object | null = { big: new Array(1_000).fill('x') };
    const ref = new WeakRef(target);
    target = null;
    // A WeakRef's target is kept alive until the job that created it ends.
    await nextTurn();
    settleHeap();
    expect(ref.deref()).toBeUndefined();
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
  });
});
