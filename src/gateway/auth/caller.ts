import type { X509Certificate } from 'node:crypto';
import { GatehouseError } from '../../core/index.js';
import { authenticateCertificate } from './client-certificate.js';
import { type HeaderMap, headerValue } from '../net/header-map.js';
import { ipMatches, parseIp } from '../net/ip-matcher.js';
import type { CompiledProfile, Snapshot } from '../snapshot/types.js';
import { presentedCredential } from './credential-header.js';
import { authenticateJwt } from './jwt.js';
import type { KeySources } from './key-sources.js';
import { authenticateToken, type TokenMemo } from './token.js';

/** Where caller resolution leaves its result: the REST pipeline's call context, or identify's own record. */
export interface CallerSlot {
  caller: CompiledProfile | null;
  /** The header that carried a gateway credential; null when none was presented. */
  credentialHeader: 'authorization' | 'x-api-key' | null;
  /** A JWT caller's verified claims; null for every other caller. */
  claims: Record<string, unknown> | null;
}

function checkCallerHeaders(slot: CallerSlot, p: CompiledProfile, clientHeader: string | undefined, profileHeader: string | undefined): void {
  if ((clientHeader !== undefined && clientHeader !== p.client.id) || (profileHeader !== undefined && profileHeader !== p.profile.id))
    throw new GatehouseError('GATEHOUSE_CLIENT_MISMATCH');
  slot.caller = p;
}

/**
 * identify + authenticate, the one rule for every entry point: a token or JWT (with `X-Client-ID`
 * and `X-Profile-ID` matching when sent), else a TLS client certificate of an `mtls` profile, else
 * — where anonymous callers are admitted — a `none`
 * profile named by `X-Profile-ID`, or nobody. Synchronous except for JWTs (whose keys may have to
 * be fetched): then it returns a promise.
 */
export function resolveCaller(
  slot: CallerSlot,
  snapshot: Snapshot,
  keys: KeySources,
  headers: HeaderMap,
  now: number,
  memo: TokenMemo | null,
  anonymousAllowed: boolean,
  clientCert: X509Certificate | null,
  certificateExpected: boolean,
): Promise<void> | undefined {
  const clientHeader = headerValue(headers, 'x-client-id');
  const profileHeader = headerValue(headers, 'x-profile-id');
  const credential = presentedCredential(headers);
  if (credential) {
    slot.credentialHeader = credential.header;
    if (credential.kind === 'token') {
      checkCallerHeaders(slot, authenticateToken(snapshot, credential.value, now, memo), clientHeader, profileHeader);
      return undefined;
    }
    return authenticateJwt(snapshot, keys, credential.value, profileHeader).then((jwt) => {
      checkCallerHeaders(slot, jwt.profile, clientHeader, profileHeader);
      slot.claims = jwt.claims;
    });
  }
  // No token or JWT: a TLS client certificate is the credential, when one was presented.
  if (clientCert !== null) {
    const p = authenticateCertificate(snapshot, clientCert, now, profileHeader);
    if (clientHeader !== undefined && clientHeader !== p.client.id) throw new GatehouseError('GATEHOUSE_CLIENT_MISMATCH');
    slot.caller = p;
    return undefined;
  }
  if (!anonymousAllowed) throw new GatehouseError(certificateExpected ? 'GATEHOUSE_CLIENT_CERTIFICATE_REQUIRED' : 'GATEHOUSE_CREDENTIAL_MISSING');
  if (profileHeader === undefined) return undefined; // anonymous, no profile: nothing to check or count
  const p = snapshot.profiles.get(profileHeader);
  if (p?.profile.authType !== 'none') throw new GatehouseError('GATEHOUSE_CREDENTIAL_MISSING');
  if (clientHeader !== undefined && clientHeader !== p.client.id) throw new GatehouseError('GATEHOUSE_CLIENT_MISMATCH');
  slot.caller = p;
  return undefined;
}

/** The caller's client must be active. */
export function checkClientActive(caller: CompiledProfile): void {
  if (caller.client.status !== 'active') throw new GatehouseError('GATEHOUSE_CLIENT_SUSPENDED');
}

/** The caller's address must be in its profile's allowlist, when it has one. */
export function checkIpAllowed(caller: CompiledProfile, ip: string | null): void {
  if (caller.ip) {
    const addr = ip === null ? null : parseIp(ip);
    if (!addr || !ipMatches(caller.ip, addr)) throw new GatehouseError('GATEHOUSE_IP_DENIED');
  }
}
