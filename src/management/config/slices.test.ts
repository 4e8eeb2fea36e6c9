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

  it('is due once a slice has run its time', () => {
    const slices = new Slices();
    const until = performance.now() + 15;
    while (performance.now() < until);
    expect(slices.due).toBe(true);
  });
});
