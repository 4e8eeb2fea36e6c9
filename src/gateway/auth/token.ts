import * as crypto from 'node:crypto';
import { GatehouseError, hashToken } from '../../core/index.js';
import { CREDENTIAL_ROTATED, type CompiledProfile, type Snapshot } from '../snapshot/types.js';

// Node ≥ 20.12 has the one-shot crypto.hash (about twice as fast as createHash for a short token;
// @types/node 20 does not declare it yet). It gives exactly hashToken's sha256 hex.
const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: string) => string }).hash;
const lookupHash: (token: string) => string = oneShot ? (token) => oneShot('sha256', token) : hashToken;

/** Resolves an opaque `ghk_` token to its profile, or throws the precise refusal. */
export function authenticateToken(snapshot: Snapshot, token: string, now: number): CompiledProfile {
  const entry = snapshot.tokens.get(lookupHash(token));
  if (entry?.profile.profile.authType !== 'token') throw new GatehouseError('GATEHOUSE_CREDENTIAL_INVALID');
  if (entry.status === CREDENTIAL_ROTATED && now > entry.graceUntil)
    throw new GatehouseError('GATEHOUSE_CREDENTIAL_EXPIRED', 'The credential was rotated and its grace period has ended.');
  if (now > entry.expiresAt) throw new GatehouseError('GATEHOUSE_CREDENTIAL_EXPIRED');
  return entry.profile;
}
