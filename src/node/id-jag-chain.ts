import type { FetchLike } from '@modelcontextprotocol/client';
import type { TrustedIdp } from '../core/index.js';
import { type ChainIdentity, IdJagChain, type UpstreamOAuth, type UserTokens } from '../gateway/federation/index.js';
import { keptIdentity } from '../identity/id-jag-identities.js';
import { openMaterial } from '../management/operations/backend-credentials.js';
import { tokenFields } from '../management/operations/mcp-connection-store.js';
import { repos } from '../management/operations/repos.js';
import { findUserById } from '../store/repositories/users.js';
import type { ManagementPlane } from './plane.js';

/** The client app named in the audit of a connection the gateway made itself by chaining an ID-JAG. */
const CHAIN_CLIENT_APP = 'gatehouse-id-jag';

/**
 * Outbound Enterprise-Managed Authorization on this node: the person's kept assertion and the
 * gateway's client at its IdP (the trusted IdP's `gatewayCredentialId`, opened from the store),
 * and a chained connection saved like one made through the connect link (sealed, audited).
 */
export function idJagChain(
  plane: ManagementPlane,
  oauth: UpstreamOAuth,
  fetchFn: FetchLike,
): NonNullable<ConstructorParameters<typeof UserTokens>[0]['chain']> {
  const { db } = plane.database;
  const identity = async (subject: string): Promise<ChainIdentity | null> => {
    const kept = await keptIdentity(db, plane.secrets, subject);
    if (!kept) return null;
    const idp: TrustedIdp | undefined = await repos.trustedIdps.get(db, kept.idpId);
    if (!idp?.enabled || idp.gatewayCredentialId === undefined) return null;
    const credential = await repos.backendCredentials.get(db, idp.gatewayCredentialId);
    if (credential?.type !== 'oauth2_client_credentials' || !credential.tokenUrl || !credential.clientId) return null;
    const { clientSecret } = await openMaterial({ db, secrets: plane.secrets }, credential.id);
    if (!clientSecret) return null;
    return {
      assertion: kept.assertion,
      idp: {
        name: idp.name,
        tokenUrl: credential.tokenUrl,
        clientId: credential.clientId,
        clientSecret,
        clientAuth: credential.clientAuth ?? 'client_secret_basic',
      },
    };
  };
  const chain = new IdJagChain({ oauth, fetch: fetchFn, identity });
  return {
    obtain: (server, subject) => chain.obtain(server, subject),
    save: async (server, subject, tokens) => {
      const user = await findUserById(db, subject);
      const fields = tokenFields(plane.secrets, tokens, new Date().toISOString());
      await plane.executor.execute(
        'mcp-connections.connect',
        { serverId: server.id, sealedTokens: fields.sealed, scope: fields.scope, expiresAt: fields.expires_at },
        {
          principal: { subject, name: user?.username ?? subject, kind: 'user', groups: [] },
          channel: 'mcp',
          clientApp: CHAIN_CLIENT_APP,
          requestId: `id-jag-${server.id}`,
        },
      );
    },
  };
}
