import type { OutgoingHeaders } from '../net/header-map.js';
import type { LimitDecision } from './limiter.js';

/** Adds RateLimit-Limit/Remaining/Reset (and Retry-After when refused); nothing for fail-open decisions. */
export function addRateLimitHeaders(out: OutgoingHeaders, decision: LimitDecision | null, now: number): OutgoingHeaders {
  if (!decision || decision.degraded) return out;
  const reset = String(Math.max(0, Math.ceil((decision.resetAt - now) / 1000)));
  out['ratelimit-limit'] = String(decision.limit);
  out['ratelimit-remaining'] = String(decision.remaining);
  out['ratelimit-reset'] = reset;
  if (!decision.allowed) out['retry-after'] = reset;
  return out;
}
