import { describe, expect, it } from 'vitest';
import { Slices } from './slices.js';

describe('Slices', () => {
  it('lets what I/O queued for the check phase run before the next slice, not after it', async () => {
    const order: string[] = [];
    const slices = new Slices();
    const yielded = slices.giveWay().then(() => order.push('next slice'));
    // Queued after the yield, as undici queues a write to a kept-alive socket while a proxied call comes in.
    setImmediate(() => order.push('immediate of the I/O'));
    await yielded;
    expect(order).toEqual(['immediate of the I/O', 'next slice']);
  });

  it('rests after a slice when others were waiting, so a timer due before the rest runs before the next slice', async () => {
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const order: string[] = [];
    const slices = new Slices();
    busy(5);
    // Traffic waiting for the loop: work in the turns the slice gives way for, and a timer due soon after.
    setImmediate(() => busy(1));
    setTimeout(() => order.push('timer of other work'), 8);
    await slices.giveWay();
    order.push('next slice');
    expect(order).toEqual(['timer of other work', 'next slice']);
  });

  it('is due once a slice has run its time', () => {
    const slices = new Slices();
    const until = performance.now() + 15;
    while (performance.now() < until);
    expect(slices.due).toBe(true);
  });
});
