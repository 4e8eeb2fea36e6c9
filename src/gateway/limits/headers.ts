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

/** The headers addRateLimitHeaders sets for `decision`, as serialized head lines ('' for none): for heads written as text. */
export function rateLimitLines(decision: LimitDecision | null, now: number): string {
  if (!decision || decision.degraded) return '';
  const reset = Math.max(0, Math.ceil((decision.resetAt - now) / 1000));
  const lines = `ratelimit-limit: ${decision.limit}\r\nratelimit-remaining: ${decision.remaining}\r\nratelimit-reset: ${reset}\r\n`;
  return decision.allowed ? lines : `${lines}retry-after: ${reset}\r\n`;
}

/** Whether addRateLimitHeaders sets `name` (lower-case) for `decision`, replacing any the upstream sent. */
export function setsRateLimitHeader(decision: LimitDecision | null, name: string): boolean {
  if (!decision || decision.degraded) return false;
  return name === 'ratelimit-limit' || name === 'ratelimit-remaining' || name === 'ratelimit-reset' || (!decision.allowed && name === 'retry-after');
}
