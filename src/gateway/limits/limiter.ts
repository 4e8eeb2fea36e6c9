import { addressGroup } from '../net/address-group.js';

/** A rate window (rate limits) or a calendar period (quotas), all in UTC. */
export type LimitWindow = 'second' | 'minute' | 'hour' | 'day' | 'month';

/** One counter to enforce: at most `limit` calls per window. */
export interface LimitRule {
  readonly kind: 'rate' | 'quota';
  readonly window: LimitWindow;
  readonly limit: number;
}

/** The outcome of one consume: the tightest rule's numbers, for the RateLimit-* headers. */
export interface LimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Epoch ms when the reported rule's window ends. */
  resetAt: number;
  /** The rule that refused the call (the one that frees up last, when several do). */
  failed: LimitRule | null;
  /** True when the counters could not be reached and the limiter let the call through (fail-open). */
  degraded: boolean;
}

/** Counts calls against fixed windows: checks every rule and increments all only when all pass. */
export interface Limiter {
  consume(key: string, rules: readonly LimitRule[], now: number): Promise<LimitDecision>;
  /** The same as `consume`, answered synchronously; limiters that need no I/O offer it and the pipeline prefers it. */
  consumeNow?(key: string, rules: readonly LimitRule[], now: number): LimitDecision;
  /** The allowance left under the rules without consuming any (`remaining` = limit − calls so far); for reports such as the Gateway MCP's inspect_contract. */
  peek?(key: string, rules: readonly LimitRule[], now: number): Promise<LimitDecision>;
  close(): Promise<void>;
}

/** Marks the counters of one caller address rather than one credential (see addressKey). */
export const ADDRESS_KEY = ':ip:';

/** The counter key of one address group (IPv4 address, IPv6 /64) under `planKey`. */
export function addressKey(planKey: string, ip: string | null): string {
  return `${planKey}${ADDRESS_KEY}${ip === null ? '' : addressGroup(ip)}`;
}

/** The key a call from `ip` is counted under by a plan: the plan's own, or its caller's address group's when it counts per address. */
export function counterKey(plan: { readonly key: string; readonly perAddress?: true }, ip: string | null): string {
  return plan.perAddress ? addressKey(plan.key, ip) : plan.key;
}
