import { describe, expect, it } from 'vitest';
import { LeaseBank } from './lease-bank.js';
import { createLeasedLimiter, type LeasedLimiter } from './leased.js';
import type { LimitRule } from './limiter.js';

const T = Date.UTC(2025, 0, 31, 12, 0, 0, 0);
const tick = () => new Promise((r) => setImmediate(r));

/** `n` workers' limiters over one bank, with an asynchronous hop each way as over IPC. */
function cluster(n: number) {
  const bank = new LeaseBank();
  const workers: LeasedLimiter[] = [];
  for (let id = 0; id < n; id++) {
    workers.push(
      createLeasedLimiter({
        lease: async (req) => {
          await tick();
          return bank.lease(id, req, n, async (w, key) => {
            await tick();
            return workers[w]!.revoke(key);
          });
        },
        peek: async (req) => bank.peek(req.key, req.rules, req.now),
      }),
    );
  }
  return workers;
}

describe('leased limiter (serve --workers)', () => {
  it('admits exactly the limit across workers, whichever worker the calls reach', async () => {
    const rule: LimitRule = { kind: 'rate', window: 'minute', limit: 100 };
    const workers = cluster(3);
    // Most calls reach worker 0 at first, then only worker 2: the units leased to the others must come back.
    const first = await Promise.all(Array.from({ length: 60 }, (_, i) => workers[i % 4 === 0 ? 1 : 0]!.consume('k', [rule], T)));
    const rest = await Promise.all(Array.from({ length: 100 }, () => workers[2]!.consume('k', [rule], T + 1)));
    const admitted = [...first, ...rest].filter((d) => d.allowed).length;
    expect(admitted).toBe(100);
    const refused = rest.find((d) => !d.allowed)!;
    expect([refused.failed, refused.remaining]).toEqual([rule, 0]);
  });

  it('keeps quotas exact across window changes of a shorter rule', async () => {
    const perSecond: LimitRule = { kind: 'rate', window: 'second', limit: 20 };
    const perDay: LimitRule = { kind: 'quota', window: 'day', limit: 30 };
    const [a, b] = cluster(2);
    let admitted = 0;
    for (let s = 0; s < 4; s++) {
      const now = T + s * 1_000;
      const ds = await Promise.all(Array.from({ length: 25 }, (_, i) => (i % 3 ? a! : b!).consume('q', [perSecond, perDay], now)));
      admitted += ds.filter((d) => d.allowed).length;
    }
    expect(admitted).toBe(30);
    const peek = await a!.peek!('q', [perDay], T + 5_000);
    expect(peek.remaining).toBe(0);
  });

  it('grants small leases near the limit and large ones far from it', async () => {
    const bank = new LeaseBank();
    const big: LimitRule = { kind: 'quota', window: 'month', limit: 1_000_000 };
    expect(bank.grant(0, 'k', [big], T, 64, 2).granted).toBe(64);
    const small: LimitRule = { kind: 'rate', window: 'second', limit: 10 };
    expect(bank.grant(0, 's', [small], T, 64, 2).granted).toBe(2);
    expect(bank.grant(1, 's', [small], T, 64, 2).granted).toBe(2);
  });
});
