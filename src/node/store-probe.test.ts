import { describe, expect, it } from 'vitest';
import { watch } from './store-probe.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('store probe', () => {
  it('flags a probe that goes unanswered past the timeout, tells waiting callers, and clears on the next answer', async () => {
    let release: () => void = () => {};
    let hang = false;
    let pings = 0;
    const probe = watch(
      () => {
        pings++;
        return hang ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
      },
      { intervalMs: 20, timeoutMs: 60 },
    );
    try {
      await sleep(50);
      expect(probe.available()).toBe(true);
      let told = 0;
      const off = probe.onUnavailable(() => told++);
      hang = true;
      await sleep(150);
      expect(probe.available()).toBe(false);
      expect(told).toBe(1);
      // One probe in flight at a time: a frozen store holds one connection, not one per tick.
      const during = pings;
      await sleep(60);
      expect(pings).toBe(during);
      hang = false;
      release();
      await sleep(10);
      expect(probe.available()).toBe(true);
      off();
    } finally {
      await probe.close();
    }
  });

  it('does not flag an answer that waited only for the node’s own busy loop', async () => {
    let answer: () => void = () => {};
    let pings = 0;
    const probe = watch(
      () => {
        pings++;
        // The answer arrives as I/O (like a socket read), 5 ms after the ping.
        return new Promise<void>((resolve) => {
          answer = resolve;
          setTimeout(() => setImmediate(resolve), 5);
        });
      },
      { intervalMs: 20, timeoutMs: 60 },
    );
    let told = 0;
    probe.onUnavailable(() => told++);
    try {
      await sleep(30);
      const before = pings;
      // The loop held for twice the timeout while a ping is in flight: its answer and the timer tick are due in the same turn.
      while (pings === before) await sleep(1);
      const until = Date.now() + 150;
      while (Date.now() < until) {}
      await sleep(30);
      // Never told: a write waiting on the store would have been refused with 503.
      expect(told).toBe(0);
      expect(probe.available()).toBe(true);
      answer();
    } finally {
      await probe.close();
    }
  });

  it('flags a probe that fails', async () => {
    const probe = watch(() => Promise.reject(new Error('ECONNREFUSED')), { intervalMs: 20, timeoutMs: 60 });
    try {
      await sleep(10);
      expect(probe.available()).toBe(false);
    } finally {
      await probe.close();
    }
  });
});
