import { decodeJwt, errors, type JWTPayload, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { KeyObject } from 'node:crypto';
import { GatehouseError } from '../../core/index.js';
import type { CompiledProfile, Snapshot } from '../snapshot/types.js';
import type { KeySources } from './key-sources.js';

function claimMatches(profile: CompiledProfile, payload: JWTPayload): boolean {
  const required = profile.profile.jwt?.requiredClaim;
  if (!required) return true;
  const v = payload[required.name];
  return Array.isArray(v) ? v.includes(required.value) : String(v) === required.value;
}

/** Which profiles a JWT may be for: the one named by `X-Profile-ID`, else those of its (unverified) issuer. */
function candidates(snapshot: Snapshot, token: string, profileId: string | undefined): readonly CompiledProfile[] {
  if (profileId !== undefined) {
    const p = snapshot.profiles.get(profileId);
    if (!p || (p.profile.authType !== 'jwt' && p.profile.authType !== 'oidc')) throw new GatehouseError('GATEHOUSE_CLIENT_MISMATCH');
    return [p];
  }
  let claims: JWTPayload;
  try {
    claims = decodeJwt(token);
  } catch {
    throw new GatehouseError('GATEHOUSE_CREDENTIAL_INVALID');
  }
  const list = typeof claims.iss === 'string' ? snapshot.issuers.get(claims.iss) : undefined;
  if (!list) throw new GatehouseError('GATEHOUSE_CREDENTIAL_INVALID');
  // Several profiles may trust one issuer; their required claims tell them apart.
  const matching = list.length === 1 ? list : list.filter((p) => claimMatches(p, claims));
  if (matching.length === 0) throw new GatehouseError('GATEHOUSE_CREDENTIAL_INVALID');
  return matching;
}

async function keyFor(profile: CompiledProfile, keys: KeySources): Promise<KeyObject | JWTVerifyGetKey> {
  const jwt = profile.profile.jwt!;
  if (profile.profile.authType === 'oidc') return keys.oidc(jwt.issuer);
  if (jwt.jwksUrl) return keys.jwks(jwt.jwksUrl);
  if (profile.publicKey) return profile.publicKey;
  throw new GatehouseError('GATEHOUSE_CREDENTIAL_INVALID', 'The profile’s public key cannot be read.');
}

async function verifyFor(profile: CompiledProfile, token: string, keys: KeySources): Promise<JWTPayload> {
  const jwt = profile.profile.jwt!;
  let key: KeyObject | JWTVerifyGetKey;
  try {
    key = await keyFor(profile, keys);
  } catch (err) {
    if (err instanceof GatehouseError) throw err;
    throw new GatehouseError('GATEHOUSE_CREDENTIAL_INVALID', 'The issuer’s signing keys could not be fetched.');
  }
  const options = {
    issuer: jwt.issuer,
    audience: jwt.audience,
    algorithms: jwt.algorithms,
    clockTolerance: jwt.clockSkewSeconds,
    requiredClaims: ['exp'],
  };
  let payload: JWTPayload;
  try {
    // Two calls because jose's overloads take a key or a key getter, not their union.
    const verified = typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
    payload = verified.payload;
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new GatehouseError('GATEHOUSE_CREDENTIAL_EXPIRED');
    throw new GatehouseError('GATEHOUSE_CREDENTIAL_INVALID');
  }
  if (!claimMatches(profile, payload)) throw new GatehouseError('GATEHOUSE_CREDENTIAL_INVALID');
  return payload;
}

/** A verified JWT caller: its profile and the token's claims (workflows read them). */
export interface JwtCaller {
  profile: CompiledProfile;
  claims: JWTPayload;
}

/** Verifies a JWT against the `jwt`/`oidc` profile it maps to and returns that profile with the token's claims. */
export async function authenticateJwt(snapshot: Snapshot, keys: KeySources, token: string, profileId: string | undefined): Promise<JwtCaller> {
  const list = candidates(snapshot, token, profileId);
  let failure: unknown;
  for (const profile of list) {
    try {
      return { profile, claims: await verifyFor(profile, token, keys) };
    } catch (err) {
      failure ??= err;
    }
  }
  throw failure;
}
