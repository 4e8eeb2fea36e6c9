import type { CompiledProfile } from '../snapshot/types.js';
import { counterKey, type LimitRule, type Limiter } from './limiter.js';

/** What a caller may spend: its windows and quotas, and what is left of each where the limiter can tell. */
export type LimitsReport =
  | { limited: false }
  | { limited: true; unavailable: true }
  | {
      limited: true;
      rateLimits: Array<{ window: string; limit: number }>;
      quotas: Array<{ period: string; limit: number }>;
      /** What is left now, per rule; null when the limiter cannot look without counting. */
      remaining: Array<{ kind: LimitRule['kind']; window: string; limit: number; remaining: number; resetsAt: string }> | null;
    };

/** Reports a caller's limits without consuming any allowance (the same counters REST traffic uses). */
export async function limitsReport(limiter: Limiter, profile: CompiledProfile | null, ip: string | null): Promise<LimitsReport> {
  const plan = profile?.limits;
  if (!plan) return { limited: false };
  if (plan.unavailable) return { limited: true, unavailable: true };
  const rateLimits = plan.rules.filter((r) => r.kind === 'rate').map((r) => ({ window: r.window, limit: r.limit }));
  const quotas = plan.rules.filter((r) => r.kind === 'quota').map((r) => ({ period: r.window, limit: r.limit }));
  if (!limiter.peek) return { limited: true, rateLimits, quotas, remaining: null };
  const key = counterKey(plan, ip);
  const remaining = [];
  for (const rule of plan.rules) {
    try {
      const d = await limiter.peek(key, [rule], Date.now());
      remaining.push({ kind: rule.kind, window: rule.window, limit: rule.limit, remaining: d.remaining, resetsAt: new Date(d.resetAt).toISOString() });
    } catch {
      // Counters unreachable: leave this rule out rather than fail the report.
    }
  }
  return { limited: true, rateLimits, quotas, remaining };
}
