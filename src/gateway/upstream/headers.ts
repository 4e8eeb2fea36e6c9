import type { IncomingHttpHeaders } from 'node:http';
import { util as undiciUtil } from 'undici';
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

/**
 * callerResponseHeaders over undici's raw header list (name, value, name, value … as Buffers), in one
 * pass and without the intermediate parsed object: the streaming REST path's variant.
 */
export function callerResponseHeadersRaw(raw: readonly Buffer[], ctx: CallContext, limit: LimitDecision | null, now: number): OutgoingHeaders {
  const out: OutgoingHeaders = {};
  let connection: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    // undici's own lookup: well-known names come back as shared lower-case strings, with no decode or copy.
    const name = undiciUtil.headerNameToString(raw[i]!);
    if (HOP_BY_HOP.has(name)) {
      // Of the dropped headers only Connection is read (it may name more to drop); the rest stay undecoded.
      if (name === 'connection') {
        const value = raw[i + 1]!.toString('latin1');
        connection = connection === undefined ? value : `${connection},${value}`;
      }
      continue;
    }
    if (name === '__proto__') continue;
    const value = raw[i + 1]!.toString('latin1');
    // Object.hasOwn only for a name already present (a repeated header) or inherited (`constructor`, say).
    const prior = out[name];
    if (prior === undefined || !Object.hasOwn(out, name)) out[name] = value;
    else if (typeof prior === 'string') out[name] = [prior, value];
    else prior.push(value);
  }
  const named = connectionTokens(connection);
  if (named !== null) for (const name of named) delete out[name];
  addRateLimitHeaders(out, limit, now);
  out['x-request-id'] = ctx.requestId;
  return out;
}
