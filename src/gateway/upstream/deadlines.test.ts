import { once } from 'node:events';
import { createServer, type Socket, connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DeadlineSweeper, type Timed } from './deadlines.js';

class Exchange implements Timed {
  deadline = 0;
  prevTimed: Timed | null = null;
  nextTimed: Timed | null = null;
  timeoutPaused = false;
  expiredAt: number | null = null;
  expire(): void {
    this.expiredAt = performance.now();
  }
}

/** Waits until `done()` holds (or `ms` passed): a loaded machine delays timers, so the tests wait for outcomes, not fixed times. */
async function until(done: () => boolean, ms = 2_000): Promise<void> {
  const end = performance.now() + ms;
  while (!done() && performance.now() < end) await sleep(5);
}

describe('DeadlineSweeper', () => {
  it('expires an armed exchange within a tick of its deadline, and only that one', async () => {
    const sweeper = new DeadlineSweeper(10);
    const [a, b, c] = [new Exchange(), new Exchange(), new Exchange()];
    const armedAt = performance.now();
    sweeper.arm(a, 40);
    sweeper.arm(b, 40);
    sweeper.arm(c, 10_000);
    sweeper.disarm(b);
    await until(() => a.expiredAt !== null);
    expect(a.expiredAt! - armedAt).toBeGreaterThanOrEqual(40);
    await sleep(30);
    expect(sweeper.armed(a)).toBe(false);
    expect(b.expiredAt).toBeNull();
    expect(c.expiredAt).toBeNull();
    expect(sweeper.armed(c)).toBe(true);
    sweeper.disarm(c);
    sweeper.disarm(c);
    expect(sweeper.armed(c)).toBe(false);
  });

  it('restarts the timeout when armed again (each body chunk), and holds a paused exchange until it resumes', async () => {
    const sweeper = new DeadlineSweeper(10);
    const busy = new Exchange();
    const paused = new Exchange();
    sweeper.arm(busy, 200);
    sweeper.arm(paused, 20);
    paused.timeoutPaused = true;
    for (let i = 0; i < 10; i++) {
      await sleep(25);
      sweeper.arm(busy, 200);
    }
    expect(busy.expiredAt).toBeNull();
    expect(paused.expiredAt).toBeNull();
    paused.timeoutPaused = false;
    await until(() => paused.expiredAt !== null && busy.expiredAt !== null);
    expect(paused.expiredAt).not.toBeNull();
    expect(busy.expiredAt).not.toBeNull();
  });

  it('keeps the list whole when exchanges leave from its middle, ends and head', async () => {
    const sweeper = new DeadlineSweeper(10);
    const all = Array.from({ length: 6 }, () => new Exchange());
    for (const e of all) sweeper.arm(e, 30);
    for (const i of [0, 3, 5]) sweeper.disarm(all[i]!);
    await until(() => all[1]!.expiredAt !== null && all[2]!.expiredAt !== null && all[4]!.expiredAt !== null);
    await sleep(30);
    expect(all.map((e) => e.expiredAt !== null)).toEqual([false, true, true, false, true, false]);
  });

  it('reads what arrived while the loop was held before judging a deadline that passed meanwhile', async () => {
    const sweeper = new DeadlineSweeper(10);
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const client = connect((server.address() as { port: number }).port, '127.0.0.1');
    await once(client, 'connect');
    const [upstream] = await accepted;
    const exchange = new Exchange();
    try {
      // Each chunk restarts the timeout, as onResponseData does.
      client.on('data', () => sweeper.arm(exchange, 30));
      sweeper.arm(exchange, 30);
      upstream.write('x');
      await once(client, 'data');
      // The next chunk is sent in time, then the loop is held well past the deadline before reading it.
      upstream.write('y');
      const heldUntil = performance.now() + 120;
      while (performance.now() < heldUntil);
      // Two turns of the loop, no fixed time (a loaded machine stretches a sleep past the 30 ms deadline): the first
      // reads the waiting chunk (re-arming) and sweeps in its check phase; the second comes after that sweep.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(exchange.expiredAt).toBeNull();
      await until(() => exchange.expiredAt !== null);
      expect(exchange.expiredAt).not.toBeNull();
    } finally {
      sweeper.disarm(exchange);
      client.destroy();
      upstream.destroy();
      server.close();
    }
  });
});
