import { ADDRESS_KEY, type LimitDecision, type LimitRule, type LimitWindow, type Limiter } from './limiter.js';
import { decide, windowEnd, windowStart } from './windows.js';

/** Options for the single-node limiter. */
export interface MemoryLimiterOptions {
  /** Most callers whose counters are kept; beyond it expired ones are swept, then the oldest dropped. Default 1,000,000. */
  maxKeys?: number;
}

const WINDOWS = 5;
const SLOT: Readonly<Record<LimitWindow, number>> = { second: 0, minute: 1, hour: 2, day: 3, month: 4 };

/**
 * One caller's counters: the window end at [slot] and the count at [WINDOWS + slot], one slot per
 * window kind (a policy has at most one rule per window, core/policy.ts). Keyed by the caller
 * alone, a check is one Map lookup on a string the snapshot already holds, instead of a
 * `key|window` string built, flattened and hashed per rule per call.
 */
type Counters = number[];

function expired(c: Counters, now: number): boolean {
  for (let i = 0; i < WINDOWS; i++) if (c[i]! > now) return false;
  return true;
}

/** An exact fixed-window limiter for one node: counters expire lazily, no timers, bounded size. */
export function createMemoryLimiter(opts: MemoryLimiterOptions = {}): Limiter {
  const maxKeys = opts.maxKeys ?? 1_000_000;
  const counters = new Map<string, Counters>();
  // Scratch space reused by every call; only the first rules.length entries are meaningful. They
  // grow and never shrink: setting an array's length is a runtime call, measurable per request.
  const ends: number[] = [];
  const counts: number[] = [];

  function makeRoom(now: number): void {
    for (const [k, c] of counters) if (expired(c, now)) counters.delete(k);
    if (counters.size < maxKeys) return;
    // Every caller is live: drop the oldest tenth (Map order is insertion order) rather than one per
    // call; per-address counters go first, so a flood of anonymous addresses cannot reset the
    // windows and quotas of credentialed clients (whose number the configuration bounds).
    let drop = Math.max(1, Math.floor(maxKeys / 10));
    for (const k of counters.keys()) {
      if (!k.includes(ADDRESS_KEY)) continue;
      counters.delete(k);
      if (--drop === 0) return;
    }
    for (const k of counters.keys()) {
      counters.delete(k);
      if (--drop === 0) return;
    }
  }

  /** The current window ends and counts of `rules` into the scratch arrays; whether one more call fits them all. */
  function read(c: Counters | undefined, rules: readonly LimitRule[], now: number): boolean {
    let allowed = true;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      const end = windowEnd(rule.window, windowStart(rule.window, now));
      const slot = SLOT[rule.window];
      const count = c !== undefined && c[slot] === end ? c[WINDOWS + slot]! : 0;
      ends[i] = end;
      counts[i] = count;
      if (count + 1 > rule.limit) allowed = false;
    }
    return allowed;
  }

  function consume(key: string, rules: readonly LimitRule[], now: number): LimitDecision {
    let c = counters.get(key);
    const allowed = read(c, rules, now);
    if (allowed) {
      if (c === undefined) {
        if (counters.size >= maxKeys) makeRoom(now);
        // A plain array: a typed array this size would take a native backing store per caller.
        c = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        counters.set(key, c);
      }
      for (let i = 0; i < rules.length; i++) {
        const slot = SLOT[rules[i]!.window];
        c[slot] = ends[i]!;
        c[WINDOWS + slot] = ++counts[i]!;
      }
    }
    return decide(rules, ends, counts, allowed);
  }

  function peek(key: string, rules: readonly LimitRule[], now: number): LimitDecision {
    read(counters.get(key), rules, now);
    return decide(rules, ends.slice(0, rules.length), counts.slice(0, rules.length), true);
  }

  return {
    consume: (key, rules, now) => Promise.resolve(consume(key, rules, now)),
    peek: (key, rules, now) => Promise.resolve(peek(key, rules, now)),
    consumeNow: consume,
    close: async () => counters.clear(),
  };
}
