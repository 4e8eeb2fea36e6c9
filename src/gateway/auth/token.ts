import * as crypto from 'node:crypto';
import { GatehouseError } from '../../core/index.js';
import { CREDENTIAL_ROTATED, type CompiledProfile, type Snapshot } from '../snapshot/types.js';

// Node ≥ 20.12 has the one-shot crypto.hash (about twice as fast as createHash for a short token;
// @types/node 20 does not declare it yet). The raw digest is what the packed token index keys on.
const oneShot = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer }).hash;
const digestOf: (token: string) => Buffer = oneShot
  ? (token) => oneShot('sha256', token, 'buffer')
  : (token) => crypto.createHash('sha256').update(token).digest();

/** Resolves an opaque `ghk_` token to its profile, or throws the precise refusal. */
export function authenticateToken(snapshot: Snapshot, token: string, now: number): CompiledProfile {
  const tokens = snapshot.tokens;
  const i = tokens.find(digestOf(token));
  const profile = i < 0 ? null : tokens.profile(i);
  if (profile?.profile.authType !== 'token') throw new GatehouseError('GATEHOUSE_CREDENTIAL_INVALID');
  if (tokens.status(i) === CREDENTIAL_ROTATED && now > tokens.graceUntil(i))
    throw new GatehouseError('GATEHOUSE_CREDENTIAL_EXPIRED', 'The credential was rotated and its grace period has ended.');
  if (now > tokens.expiresAt(i)) throw new GatehouseError('GATEHOUSE_CREDENTIAL_EXPIRED');
  return profile;
}
