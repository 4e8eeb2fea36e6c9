import { afterEach, describe, expect, it } from 'vitest';
import { type Refund, RefundQueue } from './redis-refunds.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `cond` holds (at most 2 s, so a loaded machine cannot fail a test by timing alone). */
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await wait(10);
}
const refund = (id: string): Refund => ({ keys: [id], argv: [1] });

describe('RefundQueue', () => {
  const queues: RefundQueue[] = [];
  afterEach(() => {
    for (const q of queues.splice(0)) q.close();
  });

  /** A queue whose Redis is down until `up` is set; `sent` lists each refund that went through. */
  function queue(opts: { retryForMs?: number; max?: number } = {}) {
    const state = { up: false, sent: [] as string[], attempts: 0 };
    const q = new RefundQueue({
      send: async (r) => {
        state.attempts++;
        if (!state.up) throw new Error('unreachable');
        state.sent.push(r.keys[0]!);
      },
      retryForMs: opts.retryForMs ?? 10_000,
      max: opts.max ?? 100,
      retryEveryMs: 20,
    });
    queues.push(q);
    return { q, state };
  }

  it('sends at once, and keeps nothing when Redis confirms', async () => {
    const { q, state } = queue();
    state.up = true;
    q.add(refund('a'));
    await until(() => state.sent.length > 0);
    expect(state.sent).toEqual(['a']);
    expect(q.size).toBe(0);
  });

  it('retries while Redis is unreachable and stops once the refund goes through', async () => {
    const { q, state } = queue();
    q.add(refund('a'));
    await until(() => state.attempts >= 3);
    expect(state.sent).toEqual([]);
    expect(state.attempts).toBeGreaterThanOrEqual(3);
    expect(q.size).toBe(1);
    state.up = true;
    await until(() => state.sent.length > 0);
    expect(state.sent).toEqual(['a']);
    expect(q.size).toBe(0);
    const attempts = state.attempts;
    await wait(50);
    expect(state.attempts).toBe(attempts);
  });

  it('gives a refund up once its retry time has passed', async () => {
    const { q, state } = queue({ retryForMs: 30 });
    q.add(refund('a'));
    await until(() => q.size === 0 && state.attempts > 1);
    expect(q.size).toBe(0);
    state.up = true;
    await wait(50);
    expect(state.sent).toEqual([]);
  });

  it('holds at most `max` refunds, giving up the oldest first', async () => {
    const { q, state } = queue({ max: 2 });
    for (const id of ['a', 'b', 'c']) q.add(refund(id));
    await wait(5);
    expect(q.size).toBe(2);
    state.up = true;
    await until(() => state.sent.length === 2);
    await wait(40);
    expect(state.sent.sort()).toEqual(['b', 'c']);
  });

  it('stops retrying when closed', async () => {
    const { q, state } = queue();
    q.add(refund('a'));
    await wait(5);
    q.close();
    const attempts = state.attempts;
    state.up = true;
    await wait(60);
    expect(state.attempts).toBe(attempts);
    expect(q.size).toBe(0);
  });
});
