import type { LeaseGrant, LeaseRequest, LeaseReturn } from './lease-bank.js';
import type { LimitDecision, LimitRule, Limiter } from './limiter.js';
import { decide, windowEnd, windowStart } from './windows.js';

/** How a worker reaches the primary's LeaseBank (over cluster IPC in `serve --workers`). */
export interface LeaseTransport {
  lease(req: LeaseRequest): Promise<LeaseGrant>;
  peek(req: { key: string; rules: LimitRule[]; now: number }): Promise<LeaseGrant>;
}

/** A worker's limiter: admits calls from leased units, and hands unused ones back when the primary revokes them. */
export interface LeasedLimiter extends Limiter {
  /** Gives up this worker's unused units of `key` (the primary asks before refusing a call elsewhere). */
  revoke(key: string): LeaseReturn;
}

interface Lease {
  ends: number[];
  /** The counts the primary reported with the grant (they include this lease's units). */
  counts: number[];
  units: number;
  /** The size of the next lease: doubles while leases run out within a window, up to MAX_WANT. */
  want: number;
}

const MAX_WANT = 64;

function sameEnds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The limiter of one `serve --workers` worker. Most calls are admitted from units this worker
 * leased from the primary, without a round trip; a call that finds none asks for a lease (calls
 * for the same key meanwhile wait for that one answer). Exact across workers: the primary counts
 * every unit when it leases it, and revokes unused ones before it refuses anyone.
 */
export function createLeasedLimiter(transport: LeaseTransport): LeasedLimiter {
  const leases = new Map<string, Lease>();
  const asking = new Map<string, Promise<void>>();

  function ends(rules: readonly LimitRule[], now: number): number[] {
    return rules.map((r) => windowEnd(r.window, windowStart(r.window, now)));
  }

  function take(lease: Lease, rules: readonly LimitRule[]): LimitDecision {
    lease.units--;
    // What this worker has admitted of the primary's counts so far; the rest of the lease is still free.
    const used = lease.counts.map((c) => c - lease.units);
    return decide(rules, lease.ends, used, true);
  }

  async function ask(key: string, rules: readonly LimitRule[], now: number, current: readonly number[]): Promise<LimitDecision | null> {
    const held = leases.get(key);
    const back = held && held.units > 0 ? { ends: held.ends, unused: held.units } : undefined;
    const want = held && sameEnds(held.ends, current) ? Math.min(MAX_WANT, held.want * 2) : 1;
    leases.delete(key);
    const grant = await transport.lease({ key, rules: [...rules], now, want, ...(back ? { back } : {}) });
    if (grant.granted === 0) return decide(rules, grant.ends, grant.counts, false);
    leases.set(key, { ends: grant.ends, counts: grant.counts, units: grant.granted, want });
    return null;
  }

  async function consume(key: string, rules: readonly LimitRule[], at: number): Promise<LimitDecision> {
    const entered = Date.now();
    for (;;) {
      // A call that waited for a lease is decided when it is admitted: a window may have ended meanwhile.
      const now = at + (Date.now() - entered);
      const current = ends(rules, now);
      const lease = leases.get(key);
      if (lease && lease.units > 0 && sameEnds(lease.ends, current)) return take(lease, rules);
      const pending = asking.get(key);
      if (pending) {
        await pending;
        continue;
      }
      let refused: LimitDecision | null = null;
      const asked = ask(key, rules, now, current).then((d) => {
        refused = d;
      });
      asking.set(key, asked);
      try {
        await asked;
      } finally {
        asking.delete(key);
      }
      if (refused) return refused;
    }
  }

  return {
    consume,
    async peek(key, rules, now) {
      const { ends, counts } = await transport.peek({ key, rules: [...rules], now });
      const lease = leases.get(key);
      const free = lease && sameEnds(lease.ends, ends) ? lease.units : 0;
      return decide(
        rules,
        ends,
        counts.map((c) => c - free),
        true,
      );
    },
    revoke(key) {
      const lease = leases.get(key);
      if (!lease) return { ends: [], unused: 0 };
      leases.delete(key);
      return { ends: lease.ends, unused: lease.units };
    },
    close: async () => leases.clear(),
  };
}
