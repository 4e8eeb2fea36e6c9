import type { IncomingHttpHeaders } from 'node:http';
import { GatehouseError } from '../../core/index.js';
import { presentedCredential } from '../../gateway/auth/credential-header.js';
import { headerValue } from '../../gateway/net/header-map.js';
import { authenticateJwt } from '../../gateway/auth/jwt.js';
import type { KeySources } from '../../gateway/auth/key-sources.js';
import { authenticateToken } from '../../gateway/auth/token.js';
import { ipMatches, parseIp } from '../../gateway/net/ip-matcher.js';
import type { CompiledProfile, Snapshot } from '../../gateway/snapshot/types.js';

/** Who an MCP request comes from: a profile, or an anonymous caller (only anonymous collections). */
export interface McpCaller {
  profile: CompiledProfile | null;
  /** Set when the caller authenticated with a credential (token or JWT), as opposed to a `none` profile or nobody. */
  credential: boolean;
}

/**
 * Identifies the caller exactly as the REST pipeline does: a token or JWT (with X-Client-ID and
 * X-Profile-ID matching when sent), else a `none` profile named by X-Profile-ID, else nobody —
 * which only collections open to anonymous callers admit. Then the client status and IP allowlist.
 */
export async function identifyCaller(
  headers: IncomingHttpHeaders,
  snapshot: Snapshot,
  keys: KeySources,
  ip: string | null,
  anonymousAllowed: boolean,
): Promise<McpCaller> {
  const clientHeader = headerValue(headers, 'x-client-id');
  const profileHeader = headerValue(headers, 'x-profile-id');
  const credential = presentedCredential(headers);
  let caller: McpCaller;
  if (credential) {
    const p =
      credential.kind === 'token'
        ? authenticateToken(snapshot, credential.value, Date.now())
        : await authenticateJwt(snapshot, keys, credential.value, profileHeader);
    if ((clientHeader !== undefined && clientHeader !== p.client.id) || (profileHeader !== undefined && profileHeader !== p.profile.id))
      throw new GatehouseError('GATEHOUSE_CLIENT_MISMATCH');
    caller = { profile: p, credential: true };
  } else if (profileHeader !== undefined) {
    const p = snapshot.profiles.get(profileHeader);
    if (p?.profile.authType !== 'none') throw new GatehouseError('GATEHOUSE_CREDENTIAL_MISSING');
    if (clientHeader !== undefined && clientHeader !== p.client.id) throw new GatehouseError('GATEHOUSE_CLIENT_MISMATCH');
    caller = { profile: p, credential: false };
  } else {
    if (!anonymousAllowed) throw new GatehouseError('GATEHOUSE_CREDENTIAL_MISSING');
    return { profile: null, credential: false };
  }
  const p = caller.profile!;
  if (p.client.status !== 'active') throw new GatehouseError('GATEHOUSE_CLIENT_SUSPENDED');
  if (p.ip) {
    const addr = ip === null ? null : parseIp(ip);
    if (!addr || !ipMatches(p.ip, addr)) throw new GatehouseError('GATEHOUSE_IP_DENIED');
  }
  return caller;
}
