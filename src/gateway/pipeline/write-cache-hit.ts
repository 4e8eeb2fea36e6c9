import type { IncomingMessage, ServerResponse } from 'node:http';
import { rateLimitLines } from '../limits/headers.js';
import { lingerThenClose } from '../net/linger.js';
import type { StoredHit } from '../workflows/cache/stored-hit.js';
import type { CallContext } from './context.js';

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
