import type { IncomingHttpHeaders } from 'node:http';
import { headerValue, type OutgoingHeaders } from '../net/header-map.js';
import { addRateLimitHeaders } from '../limits/headers.js';
import type { LimitDecision } from '../limits/limiter.js';
import type { CallContext } from '../pipeline/context.js';
import { FROM_TRUSTED_PEER_ONLY, HOP_BY_HOP, NOT_FORWARDED } from './header-policy.js';

function connectionTokens(value: string | string[] | undefined): Set<string> | null {
  // The common values name no other header, and are themselves hop-by-hop.
  if (value === undefined || value === 'keep-alive' || value === 'close') return null;
  const text = Array.isArray(value) ? value.join(',') : value;
  const tokens = new Set<string>();
  for (const t of text.split(',')) {
    const name = t.trim().toLowerCase();
    if (name) tokens.add(name);
  }
  return tokens;
}

/**
 * The request headers the upstream gets: hop-by-hop and gateway credentials removed, X-Forwarded-*
 * and X-Request-Id set (a caller's forwarding headers kept only when `trustedPeer`).
 */
export function upstreamRequestHeaders(ctx: CallContext, trustedPeer: boolean, dropContentLength: boolean): OutgoingHeaders {
  const src = ctx.headers;
  const named = connectionTokens(src.connection);
  const out: OutgoingHeaders = {};
  for (const name in src) {
    const value = src[name];
    if (value === undefined || NOT_FORWARDED.has(name) || named?.has(name)) continue;
    if (!trustedPeer && FROM_TRUSTED_PEER_ONLY.has(name)) continue;
    if (name === 'authorization' && ctx.credentialHeader === 'authorization') continue;
    if (name === 'content-length' && dropContentLength) continue;
    out[name] = value;
  }
  // An untrusted caller's own X-Forwarded-For is not kept: the chain starts at the peer.
  const prior = trustedPeer ? src['x-forwarded-for'] : undefined;
  const hop = ctx.peerIp ?? ctx.ip;
  if (hop !== null) out['x-forwarded-for'] = prior === undefined ? hop : `${Array.isArray(prior) ? prior.join(', ') : prior}, ${hop}`;
  const proto = trustedPeer ? headerValue(src, 'x-forwarded-proto') : undefined;
  out['x-forwarded-proto'] = proto ?? (ctx.secure ? 'https' : 'http');
  const host = (trustedPeer ? headerValue(src, 'x-forwarded-host') : undefined) ?? headerValue(src, 'host');
  if (host !== undefined) out['x-forwarded-host'] = host;
  out['x-request-id'] = ctx.requestId;
  return out;
}

/**
 * The upstream's response headers as the caller gets them: hop-by-hop removed, the RateLimit-*
 * headers of `limit` and X-Request-Id set (over any the upstream sent).
 */
export function callerResponseHeaders(upstream: IncomingHttpHeaders, ctx: CallContext, limit: LimitDecision | null, now: number): OutgoingHeaders {
  const named = connectionTokens(upstream.connection);
  const out: OutgoingHeaders = {};
  for (const name in upstream) {
    const value = upstream[name];
    // `__proto__` arrives as an own property of undici's parsed headers; assigned here it would set the prototype.
    if (value === undefined || HOP_BY_HOP.has(name) || named?.has(name) || name === '__proto__') continue;
    out[name] = value;
  }
  addRateLimitHeaders(out, limit, now);
  out['x-request-id'] = ctx.requestId;
  return out;
}
