import type { ServerResponse } from 'node:http';
import { util as undiciUtil } from 'undici';
import { rateLimitLines, setsRateLimitHeader } from '../limits/headers.js';
import type { LimitDecision } from '../limits/limiter.js';
import { HOP_BY_HOP } from './header-policy.js';

type RawHead = ServerResponse & { _header: string | null };

/** Whether a Connection value names a header that is not hop-by-hop anyway (so it must be looked for and dropped). */
function namesOtherHeaders(value: string): boolean {
  if (value === 'keep-alive' || value === 'close') return false;
  for (const token of value.split(',')) {
    const name = token.trim().toLowerCase();
    if (name !== '' && !HOP_BY_HOP.has(name)) return true;
  }
  return false;
}

/**
 * Writes the caller's response head straight from the upstream's raw header list (name, value …
 * as Buffers, as undici's HTTP/1 parser leaves them), with what callerResponseHeadersRaw would
 * send: hop-by-hop dropped, RateLimit-* of `limit` and X-Request-Id over the upstream's. No header
 * map is built and node:http validates none of the forwarded lines again: llhttp accepted each
 * name as a token and each value in the very byte set node:http allows (tab, 0x20–0xff but DEL).
 * node:http sees only what it acts on (Content-Length, Date) and writes the status line, its
 * Connection/Keep-Alive and, when the upstream sent none, Date; the other lines go in behind.
 * Returns the declared body length (-1 when none), or null, with nothing written, when
 * Connection names other headers to drop (rare): the caller builds the head as a map instead.
 */
export function writeRawResponseHead(
  res: ServerResponse,
  status: number,
  raw: readonly Buffer[],
  requestId: string,
  limit: LimitDecision | null,
  now: number,
): number | null {
  let lines = '';
  let framing: string[] | undefined;
  let declared = -1;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    // undici's own lookup: well-known names come back as shared lower-case strings, with no decode or copy.
    const name = undiciUtil.headerNameToString(raw[i]!);
    if (HOP_BY_HOP.has(name)) {
      if (name === 'connection' && namesOtherHeaders(raw[i + 1]!.toString('latin1'))) return null;
      continue;
    }
    // `__proto__` is dropped as the header-map variants must drop it.
    if (name === 'x-request-id' || name === '__proto__' || setsRateLimitHeader(limit, name)) continue;
    const value = raw[i + 1]!.toString('latin1');
    if (name === 'content-length' || name === 'date') {
      if (framing === undefined) framing = [name, value];
      else framing.push(name, value);
      // llhttp refuses a response with two Content-Length headers, so this is the only one.
      if (name === 'content-length') declared = contentLength(value);
    } else lines += `${name}: ${value}\r\n`;
  }
  res.writeHead(status, framing);
  const head = res as RawHead;
  // The head ends with its blank line: the other lines go just before it.
  head._header = `${head._header!.slice(0, -2)}${lines}${rateLimitLines(limit, now)}x-request-id: ${requestId}\r\n\r\n`;
  return declared;
}

function contentLength(value: string): number {
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : -1;
}
