import { GatehouseError, hashToken } from '../../core/index.js';
import { CREDENTIAL_ROTATED, type CompiledProfile, type Snapshot } from '../snapshot/types.js';

/** Resolves an opaque `ghk_` token to its profile, or throws the precise refusal. */
export function authenticateToken(snapshot: Snapshot, token: string, now: number): CompiledProfile {
  const entry = snapshot.tokens.get(hashToken(token));
  if (entry?.profile.profile.authType !== 'token') throw new GatehouseError('GATEHOUSE_CREDENTIAL_INVALID');
  if (entry.status === CREDENTIAL_ROTATED && now > entry.graceUntil)
    throw new GatehouseError('GATEHOUSE_CREDENTIAL_EXPIRED', 'The credential was rotated and its grace period has ended.');
  if (now > entry.expiresAt) throw new GatehouseError('GATEHOUSE_CREDENTIAL_EXPIRED');
  return entry.profile;
}
