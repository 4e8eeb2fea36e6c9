import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LimitDecision } from '../limits/limiter.js';
import { lingerThenClose } from '../net/linger.js';
import type { StoredHit } from '../workflows/cache/stored-hit.js';
import type { CallContext } from './context.js';

/** The call's own headers, reused by every hit: node:http reads the list while writeHead runs and keeps nothing of it. */
const own: (string | number)[] = [];

/** Adds RateLimit-* (and Retry-After) to `own`, as addRateLimitHeaders does to a header object. */
function pushRateLimit(decision: LimitDecision | null, now: number): void {
  if (decision === null || decision.degraded) return;
  const reset = Math.max(0, Math.ceil((decision.resetAt - now) / 1000));
  // Numbers as values: node:http writes them into the head as it concatenates it.
  own.push('ratelimit-limit', decision.limit, 'ratelimit-remaining', decision.remaining, 'ratelimit-reset', reset);
  if (!decision.allowed) own.push('retry-after', reset);
}

type RawHead = ServerResponse & { _header: string | null };

/**
 * Answers a REST call from a cache hit: node:http writes the status line and the call's own headers
 * (Content-Length, RateLimit-*, X-Request-Id, then Date and Connection as for any response), the
 * stored lines serialized when the entry was stored go in after them, and the head and body leave
 * in one write. No response object, header map or upstream machinery is involved.
 */
export function writeCacheHit(ctx: CallContext, req: IncomingMessage, res: ServerResponse, hit: StoredHit): void {
  ctx.status = hit.status;
  ctx.bytesOut = hit.body.length;
  own.length = 0;
  own.push('content-length', hit.contentLength);
  for (let i = 0; i < hit.framing.length; i++) own.push(hit.framing[i]!);
  pushRateLimit(ctx.limit, Date.now());
  own.push('x-request-id', ctx.requestId);
  try {
    res.writeHead(hit.status, own);
  } finally {
    own.length = 0;
  }
  const raw = res as RawHead;
  // The head ends with its blank line: the stored lines go just before it.
  const head = raw._header!;
  raw._header = head.slice(0, -2) + hit.head + '\r\n';
  res.end(hit.body);
  lingerThenClose(req);
}
