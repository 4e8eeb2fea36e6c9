import { type IpMatcher, ipMatches, parseIp } from './ip-matcher.js';

/**
 * The caller's address: the socket peer, unless the peer is a trusted proxy, in which case the
 * right-most `X-Forwarded-For` hop that is not itself trusted (hops further left are caller-supplied).
 */
export function resolveClientIp(peer: string, forwardedFor: string | string[] | undefined, trusted: IpMatcher | null): string {
  if (!trusted || forwardedFor === undefined) return peer;
  const peerAddr = parseIp(peer);
  if (!peerAddr || !ipMatches(trusted, peerAddr)) return peer;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  let candidate = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!.trim();
    const addr = parseIp(hop);
    if (!addr) return candidate;
    candidate = hop;
    if (!ipMatches(trusted, addr)) return hop;
  }
  return candidate;
}
