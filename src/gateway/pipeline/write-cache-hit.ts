import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LimitDecision } from '../limits/limiter.js';
import { lingerThenClose } from '../net/linger.js';
import type { StoredHit } from '../workflows/cache/stored-hit.js';
import type { CallContext } from './context.js';

/** RateLimit-* as header lines, as addRateLimitHeaders sets them (a refused call never reaches the cache: no Retry-After). */
function rateLimitLines(decision: LimitDecision | null, now: number): string {
  if (decision === null || decision.degraded) return '';
  const reset = Math.max(0, Math.ceil((decision.resetAt - now) / 1000));
  return `ratelimit-limit: ${decision.limit}\r\nratelimit-remaining: ${decision.remaining}\r\nratelimit-reset: ${reset}\r\n`;
}

type RawHead = ServerResponse & { _header: string | null };

/**
 * Answers a REST call from a cache hit. node:http writes the status line and what it acts on
 * itself (Content-Length, then Date and Connection as for any response); the call's own lines
 * (RateLimit-*: numbers; X-Request-Id: checked by requestIdFrom) and the stored lines, serialized
 * and checked when the entry was stored, go in behind them; head and body leave in one write.
 * No response object, header map or upstream machinery is involved.
 */
export function writeCacheHit(ctx: CallContext, req: IncomingMessage, res: ServerResponse, hit: StoredHit): void {
  ctx.status = hit.status;
  ctx.bytesOut = hit.body.length;
  res.writeHead(hit.status, hit.framing);
  const raw = res as RawHead;
  // The head ends with its blank line: the other lines go just before it.
  raw._header = `${raw._header!.slice(0, -2)}${rateLimitLines(ctx.limit, Date.now())}x-request-id: ${ctx.requestId}\r\n${hit.head}\r\n`;
  res.end(hit.body);
  lingerThenClose(req);
}
