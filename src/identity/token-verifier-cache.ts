import { hash } from 'node:crypto';
import type { ExpiringVerifier, TokenVerifier, VerifiedToken } from './token-verifier.js';

export interface VerifiedTokenCacheOptions {
  /** Answers kept at most; the oldest is forgotten beyond it. */
  maxEntries?: number;
  /** The longest an answer is kept, whatever the token's own expiry. */
  ttlMs?: number;
  now?: () => number;
}

interface Entry {
  verified: VerifiedToken;
  /** Epoch ms after which the answer is not used: the token's `exp`, or the TTL, whichever comes first. */
  until: number;
  /** The key set the token was checked against. */
  keys: unknown;
}

/**
 * A verifier that remembers the tokens it verified (per resource), so a caller's every request does
 * not pay a signature check: an answer holds until the token expires or `ttlMs` passes, whichever is
 * sooner, and not at all once the key set changes (a retired key). Refusals are not kept. Entries are
 * keyed by a hash of the token, never the token itself, and bounded in number.
 */
export function cachingVerifier(inner: ExpiringVerifier, opts: VerifiedTokenCacheOptions = {}): TokenVerifier {
  const max = opts.maxEntries ?? 10_000;
  const ttlMs = opts.ttlMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();
  return {
    async verify(token, resource) {
      // One-shot: half the cost of a Hash object, on every request.
      const key = hash('sha256', `${resource}\n${token}`, 'base64');
      const hit = entries.get(key);
      if (hit) {
        if (hit.until > now() && hit.keys === inner.keys()) return hit.verified;
        entries.delete(key);
      }
      const keys = inner.keys();
      const { verified, expiresAt } = await inner.verifyUntil(token, resource);
      const until = Math.min(expiresAt, now() + ttlMs);
      if (until > now()) {
        // Shared by every request that presents the token: nobody may change it.
        const frozen = deepFreeze(verified);
        entries.set(key, { verified: frozen, until, keys });
        while (entries.size > max) entries.delete(entries.keys().next().value as string);
        return frozen;
      }
      return verified;
    },
  };
}

function deepFreeze(verified: VerifiedToken): VerifiedToken {
  Object.freeze(verified.groups);
  Object.freeze(verified.scopes);
  Object.freeze(verified.audience);
  return Object.freeze(verified);
}
