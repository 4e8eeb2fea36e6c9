import type { LimitRule, LimitWindow } from './limiter.js';

const FIXED_MS: Record<Exclude<LimitWindow, 'month'>, number> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** Start of the window containing `now` (epoch ms, UTC calendar for day and month). */
export function windowStart(window: LimitWindow, now: number): number {
  if (window === 'month') {
    const d = new Date(now);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }
  const ms = FIXED_MS[window];
  return now - (now % ms);
}

/** End (exclusive) of the window that starts at `start`. */
export function windowEnd(window: LimitWindow, start: number): number {
  if (window === 'month') {
    const d = new Date(start);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }
  return start + FIXED_MS[window];
}

/**
 * Builds the decision from per-rule counts: `counts` are the counts after this call's increment
 * when allowed, or the current counts when refused.
 */
export function decide(rules: readonly LimitRule[], ends: readonly number[], counts: ArrayLike<number>, allowed: boolean) {
  let pick = 0;
  if (allowed) {
    let least = Number.POSITIVE_INFINITY;
    for (let i = 0; i < rules.length; i++) {
      const remaining = rules[i]!.limit - counts[i]!;
      if (remaining < least || (remaining === least && ends[i]! < ends[pick]!)) {
        least = remaining;
        pick = i;
      }
    }
    const rule = rules[pick]!;
    return { allowed, limit: rule.limit, remaining: Math.max(0, least), resetAt: ends[pick]!, failed: null, degraded: false };
  }
  let latest = -1;
  for (let i = 0; i < rules.length; i++) {
    if (counts[i]! + 1 > rules[i]!.limit && ends[i]! > latest) {
      latest = ends[i]!;
      pick = i;
    }
  }
  const rule = rules[pick]!;
  return { allowed, limit: rule.limit, remaining: 0, resetAt: ends[pick]!, failed: rule, degraded: false };
}
