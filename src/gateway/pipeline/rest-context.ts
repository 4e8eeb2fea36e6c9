import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { requestIdFrom } from '../../core/index.js';
import { clientCertificateOf } from '../auth/client-certificate.js';
import { TokenMemo } from '../auth/token.js';
import { resolveClientIp } from '../net/client-ip.js';
import { headerValue } from '../net/header-map.js';
import { displayIp, ipMatches, parseIp } from '../net/ip-matcher.js';
import { CallContext } from './context.js';
import type { GatewayCore } from './core.js';

const MEMO = Symbol('gatehouse.tokenMemo');

/** A Content-Length header's value as a byte count, or -1 when absent or not a whole number. */
export function declaredLength(value: string | string[] | undefined): number {
  if (typeof value !== 'string') return -1;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : -1;
}

/** The channel-neutral context of a node:http request: its id, path, caller address (through trusted proxies), certificate and declared body. */
export function contextFor(core: GatewayCore, req: IncomingMessage): CallContext {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const raw = req.socket.remoteAddress;
  const peer = raw === undefined ? null : displayIp(raw);
  let ip = peer;
  let trusted = false;
  if (peer !== null && core.trustedProxies) {
    const addr = parseIp(peer);
    trusted = addr !== null && ipMatches(core.trustedProxies, addr);
    if (trusted) ip = resolveClientIp(peer, req.headers['x-forwarded-for'], core.trustedProxies);
  }
  const ctx = new CallContext(
    requestIdFrom(headerValue(req.headers, 'x-request-id')),
    'rest',
    req.method ?? 'GET',
    q === -1 ? url : url.slice(0, q),
    q === -1 ? '' : url.slice(q),
    req.headers,
    ip,
    peer,
    (req.socket as TLSSocket).encrypted === true,
  );
  ctx.trustedPeer = trusted;
  if (ctx.secure) ctx.clientCert = clientCertificateOf(req.socket);
  ctx.declaredBytesIn = declaredLength(req.headers['content-length']);
  // One memo per connection: a keep-alive caller's token is verified once, not on every call.
  const socket = req.socket as typeof req.socket & { [MEMO]?: TokenMemo };
  ctx.tokenMemo = socket[MEMO] ??= new TokenMemo();
  return ctx;
}
