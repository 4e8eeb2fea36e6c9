import type { GatehouseConfig } from '../core/index.js';
import { guardedFetch, UpstreamOAuth, UserTokens } from '../gateway/federation/index.js';
import { type AuthorizationServer, CONNECT_CLIENT_ID } from '../identity/index.js';
import { perUserServerOf } from '../management/operations/federation-targets.js';
import { connectionStore, registrationStore, tokenFields } from '../management/operations/mcp-connection-store.js';
import { CLIENT_METADATA_PATH, CONNECT_PATH } from '../mcp/federation/connect-paths.js';
import { ConnectTickets } from '../mcp/federation/connect-ticket.js';
import type { McpLog } from '../mcp/kit/log.js';
import { type LazySurface, lazySurface } from './lazy-surface.js';
import { idJagChain } from './id-jag-chain.js';
import type { ManagementPlane } from './plane.js';

/** People's tokens for `oauth_per_user` upstreams, and the connect link that obtains them. */
export interface PerUserUpstreams {
  tokens: UserTokens;
  /** The connect endpoints, loaded on first use; undefined without the built-in authorization server (people sign in there to connect). */
  connectHandler(oauth: AuthorizationServer | undefined, issuer: string, log: McpLog, fault: (msg: string, err: unknown) => void): LazySurface | undefined;
  close(): Promise<void>;
}

// How long a node keeps a person's upstream tokens without a config change (a lost change notice heals within it).
const TOKENS_KEPT_MS = 30_000;

/** Wires per-user upstream OAuth for one node: the gateway as an OAuth client of upstreams, the tokens store, the connect link. */
export function startPerUserUpstreams(config: GatehouseConfig, plane: ManagementPlane, proxyBase: string): PerUserUpstreams {
  const { db } = plane.database;
  // The gateway's own OAuth requests to upstreams obey the same network policy as its token requests.
  const fetchFn = guardedFetch({ allowPrivateNetworks: config.tokenEndpoints.allowPrivateNetworks, timeoutMs: config.tokenEndpoints.timeoutMs });
  const tickets = new ConnectTickets(plane.secrets.derive('mcp connect ticket'));
  const client = new UpstreamOAuth({
    fetch: fetchFn,
    redirectUri: `${proxyBase}${CONNECT_PATH}/callback`,
    clientMetadataUrl: `${proxyBase}${CLIENT_METADATA_PATH}`,
    registrations: registrationStore(db, plane.secrets),
  });
  const tokens = new UserTokens({
    oauth: client,
    store: connectionStore(db, plane.secrets),
    connectLink: (serverId, subject) => `${proxyBase}${CONNECT_PATH}?ticket=${tickets.sign(subject, serverId)}`,
    cacheMs: TOKENS_KEPT_MS,
    // Upstreams trusting the enterprise IdP a person signed in with: their token with no consent step.
    chain: idJagChain(plane, client, fetchFn),
  });
  // A connection made, revoked or expired is a config change: every node forgets what it kept.
  const stopForgetting = plane.changes.subscribe(() => tokens.forget());
  plane.lendPerUserTokens(tokens);
  const connectHandler: PerUserUpstreams['connectHandler'] = (oauth, issuer, log, fault) =>
    oauth
      ? lazySurface(
          'MCP connect page',
          async () => ({
            handle: (await import('../mcp/federation/connect.js')).createConnectHandler({
              publicUrl: proxyBase,
              issuer,
              jwks: () => oauth.jwks(),
              tickets,
              seal: (plaintext) => plane.secrets.seal(plaintext),
              open: (sealed) => plane.secrets.open(sealed),
              server: (id) => perUserServerOf(db, plane.secrets, id),
              oauth: client,
              connect: async (person, serverId, granted) => {
                const fields = tokenFields(plane.secrets, granted, new Date().toISOString());
                await plane.executor.execute(
                  'mcp-connections.connect',
                  { serverId, sealedTokens: fields.sealed, scope: fields.scope, expiresAt: fields.expires_at },
                  {
                    principal: { subject: person.subject, name: person.name, kind: 'user', groups: [] },
                    channel: 'mcp',
                    clientApp: CONNECT_CLIENT_ID,
                    requestId: `connect-${serverId}`,
                  },
                );
              },
              log,
            }),
          }),
          fault,
        )
      : undefined;
  return {
    tokens,
    connectHandler,
    close: async () => {
      stopForgetting();
      await fetchFn.close();
    },
  };
}
