import type { LimitDecision, LimitRule, Limiter } from './limiter.js';
import { decide, windowEnd, windowStart } from './windows.js';

/** Options for the single-node limiter. */
export interface MemoryLimiterOptions {
  /** Most counters kept; beyond it expired ones are swept, then the oldest dropped. Default 1,000,000. */
  maxKeys?: number;
}

interface Counter {
  end: number;
  count: number;
}

/** An exact fixed-window limiter for one node: counters expire lazily, no timers, bounded size. */
export function createMemoryLimiter(opts: MemoryLimiterOptions = {}): Limiter {
  const maxKeys = opts.maxKeys ?? 1_000_000;
  const counters = new Map<string, Counter>();
  // Scratch space reused by every call; only the first rules.length entries are meaningful. They
  // grow and never shrink: setting an array's length is a runtime call, measurable per request.
  const ends: number[] = [];
  const counts: number[] = [];
  const names: string[] = [];

  function makeRoom(now: number): void {
    for (const [k, c] of counters) if (c.end <= now) counters.delete(k);
    if (counters.size < maxKeys) return;
    // Every counter is live: drop the oldest tenth (Map order is insertion order) rather than one per call.
    let drop = Math.max(1, Math.floor(maxKeys / 10));
    for (const k of counters.keys()) {
      counters.delete(k);
      if (--drop === 0) break;
    }
  }

  function consume(key: string, rules: readonly LimitRule[], now: number): LimitDecision {
    const n = rules.length;
    let allowed = true;
    for (let i = 0; i < n; i++) {
      const rule = rules[i]!;
      const end = windowEnd(rule.window, windowStart(rule.window, now));
      const name = `${key}|${rule.window}`;
      const c = counters.get(name);
      const count = c && c.end === end ? c.count : 0;
      ends[i] = end;
      counts[i] = count;
      names[i] = name;
      if (count + 1 > rule.limit) allowed = false;
    }
    if (allowed) {
      for (let i = 0; i < n; i++) {
        const c = counters.get(names[i]!);
        if (c && c.end === ends[i]) c.count++;
        else if (c) {
          c.end = ends[i]!;
          c.count = 1;
        } else {
          if (counters.size >= maxKeys) makeRoom(now);
          counters.set(names[i]!, { end: ends[i]!, count: 1 });
        }
        counts[i]!++;
      }
    }
    return decide(rules, ends, counts, allowed);
  }

  function peek(key: string, rules: readonly LimitRule[], now: number): LimitDecision {
    const peekEnds: number[] = [];
    const peekCounts: number[] = [];
    for (const rule of rules) {
      const end = windowEnd(rule.window, windowStart(rule.window, now));
      const c = counters.get(`${key}|${rule.window}`);
      peekEnds.push(end);
      peekCounts.push(c && c.end === end ? c.count : 0);
    }
    return decide(rules, peekEnds, peekCounts, true);
  }

  return {
    consume: (key, rules, now) => Promise.resolve(consume(key, rules, now)),
    peek: (key, rules, now) => Promise.resolve(peek(key, rules, now)),
    consumeNow: consume,
    close: async () => counters.clear(),
  };
}
