import type { Kysely } from 'kysely';
import type { ConnectionStore, Registration, RegistrationStore, UpstreamTokens } from '../../gateway/federation/index.js';
import { getConnection, replaceTokens } from '../../store/repositories/mcp-connections.js';
import { deleteSecret, getSecret, putSecret } from '../../store/repositories/secrets.js';
import type { DB } from '../../store/schema.js';
import type { SecretBox } from '../../store/secret-box.js';

/** The owner type of a dynamic client registration at an upstream's authorization server in the secrets table. */
export const MCP_OAUTH_REGISTRATION = 'mcp-server-oauth-registration';

/** What a connection row seals: the upstream's tokens. */
export function sealTokens(secrets: SecretBox, tokens: UpstreamTokens): string {
  return secrets.seal(JSON.stringify(tokens));
}

function expiresAtOf(tokens: UpstreamTokens): string | null {
  return tokens.expiresAt === null ? null : new Date(tokens.expiresAt).toISOString();
}

/** The row fields that change with new tokens. */
export function tokenFields(
  secrets: SecretBox,
  tokens: UpstreamTokens,
  now: string,
): { sealed: string; scope: string; expires_at: string | null; updated_at: string } {
  return { sealed: sealTokens(secrets, tokens), scope: tokens.scope.slice(0, 1_000), expires_at: expiresAtOf(tokens), updated_at: now };
}

/**
 * People's upstream tokens for the data plane: read and refreshed in place (a refresh is no config
 * change, so it is not audited; connecting and revoking are, through the registry).
 */
export function connectionStore(db: Kysely<DB>, secrets: SecretBox): ConnectionStore {
  let last = '';
  // The new version is later than the one replaced and than this store's last: two refreshes within one millisecond
  // (here, or a write on another node in the millisecond of the read) must still tell their versions apart.
  const stamp = (replaced: string) => {
    let now = new Date().toISOString();
    const floor = replaced > last ? replaced : last;
    if (now <= floor) now = new Date(Date.parse(floor) + 1).toISOString();
    last = now;
    return now;
  };
  return {
    async read(serverId, subject) {
      const row = await getConnection(db, serverId, subject);
      if (!row) return null;
      return { tokens: JSON.parse(secrets.open(row.sealed)) as UpstreamTokens, version: row.updated_at };
    },
    replace: (serverId, subject, version, tokens) => replaceTokens(db, serverId, subject, version, tokenFields(secrets, tokens, stamp(version))),
  };
}

/** Dynamic registrations at upstreams' authorization servers, sealed (a registration may carry a client secret). */
export function registrationStore(db: Kysely<DB>, secrets: SecretBox): RegistrationStore {
  return {
    async load(serverId) {
      const sealed = await getSecret(db, MCP_OAUTH_REGISTRATION, serverId);
      return sealed === undefined ? undefined : (JSON.parse(secrets.open(sealed)) as Registration);
    },
    save: (serverId, registration) => putSecret(db, MCP_OAUTH_REGISTRATION, serverId, secrets.seal(JSON.stringify(registration))),
    forget: (serverId) => deleteSecret(db, MCP_OAUTH_REGISTRATION, serverId),
  };
}
