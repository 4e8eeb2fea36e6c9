import * as crypto from 'node:crypto';
import { GatehouseError } from '../../core/index.js';
import { CREDENTIAL_ROTATED, type TokenIndex } from '../snapshot/token-index.js';
import type { CompiledProfile, Snapshot } from '../snapshot/types.js';

// The one-shot crypto.hash is about twice as fast as createHash for a short token. The raw digest,
// one latin1 character per byte ('binary' is Node's other name for latin1), is what the packed
// token index keys on: as a string it costs ~0.4 µs, as a Buffer ~1.2 µs (a native backing store
// per call, freed by the garbage collector).
const hash = crypto.hash;

/**
 * The last token one connection presented and the credential it resolved to. A keep-alive client
 * sends the same token on every request, so the memo spares the sha256 (the dearest part of token
 * auth) on all but the first. Only the lookup is memoised: status, expiry and grace are read from
 * the index on every call, and a new snapshot (a revocation, a rotation) invalidates the memo. It
 * names the index by generation, so an idle connection does not keep an old snapshot's index alive.
 */
export class TokenMemo {
  generation = 0;
  token = '';
  index = -1;
}

// An L7 proxy in front may carry several callers over one connection, so the memoised token is a
// secret another caller must not be able to probe: compare in time that depends on length only.
function sameToken(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let k = 0; k < a.length; k++) diff |= a.charCodeAt(k) ^ b.charCodeAt(k);
  return diff === 0;
}

function lookup(tokens: TokenIndex<CompiledProfile>, token: string, memo: TokenMemo | null): number {
  if (memo !== null && memo.generation === tokens.generation && sameToken(memo.token, token)) return memo.index;
  const i = tokens.find(hash('sha256', token, 'binary'));
  // Misses are not memoised: a caller guessing tokens gains nothing and evicts nothing.
  if (memo !== null && i >= 0) {
    memo.generation = tokens.generation;
    memo.token = token;
    memo.index = i;
  }
  return i;
}

/** Resolves an opaque `ghk_` token to its profile, or throws the precise refusal. */
export function authenticateToken(snapshot: Snapshot, token: string, now: number, memo: TokenMemo | null = null): CompiledProfile {
  const tokens = snapshot.tokens;
  const i = lookup(tokens, token, memo);
  const profile = i < 0 ? null : tokens.profile(i);
  if (profile?.profile.authType !== 'token') throw new GatehouseError('GATEHOUSE_CREDENTIAL_INVALID');
  if (tokens.status(i) === CREDENTIAL_ROTATED && now > tokens.graceUntil(i))
    throw new GatehouseError('GATEHOUSE_CREDENTIAL_EXPIRED', 'The credential was rotated and its grace period has ended.');
  if (now > tokens.expiresAt(i)) throw new GatehouseError('GATEHOUSE_CREDENTIAL_EXPIRED');
  return profile;
}
