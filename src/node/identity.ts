import type { GatehouseConfig } from '../core/index.js';
import {
  type AuthorizationServer,
  builtInConsoleSignIn,
  type ConsoleSignIn,
  cachingVerifier,
  createAuthorizationServer,
  createExternalVerifier,
  createLocalVerifier,
  deleteExpiredPayloads,
  externalConsoleSignIn,
  type TokenVerifier,
} from '../identity/index.js';
import type { Registry } from 'prom-client';
import { idJagOptions } from './id-jag.js';
import type { ManagementPlane } from './plane.js';
import type { VirtualAccess } from './virtual-access.js';

/** Who issues and verifies the admin surfaces' tokens on this node. */
export interface NodeIdentity {
  issuer: string;
  verifier: TokenVerifier;
  /** The built-in authorization server for the admin surfaces; absent with an external IdP. */
  oauth: AuthorizationServer | undefined;
  /**
   * Where Gateway MCP consumers sign in: the built-in authorization server (serving only them when
   * the admin surfaces trust an external IdP with `consumerSignIn`); absent when nobody can.
   */
  consumers: { server: AuthorizationServer; issuer: string; verifier: TokenVerifier } | undefined;
  /** How the web console signs in here. */
  console: ConsoleSignIn;
  /** Deletes expired OAuth state now (it also runs every ten minutes). */
  sweepExpired(): Promise<void>;
  close(): Promise<void>;
}

/** The resources (token audiences) this node's admin surfaces are. */
export interface AdminResources {
  adminBase: string;
  adminApi: string;
  managementMcp: string;
  /** The Gateway MCP, a resource of the built-in authorization server too (people sign in as a profile). */
  gatewayMcp: string;
}

/** Starts the built-in authorization server, or a verifier for the configured external IdP. */
export async function startIdentity(
  config: GatehouseConfig,
  plane: ManagementPlane,
  resources: AdminResources,
  log: (msg: string, err: unknown) => void,
  virtual: Pick<VirtualAccess, 'mayUseServer'>,
  metrics?: Registry,
): Promise<NodeIdentity> {
  const db = plane.database.db;
  const sweepExpired = async () => {
    await deleteExpiredPayloads(db).catch((err) => log('sweeping expired OAuth state failed', err));
  };
  if (config.externalIdp) {
    const issuer = config.externalIdp.issuer;
    const adminApiAudience = config.externalIdp.adminApiAudience ?? resources.adminApi;
    const verifier = cachingVerifier(
      await createExternalVerifier({
        issuer,
        audiences: {
          [resources.adminApi]: adminApiAudience,
          [resources.managementMcp]: config.externalIdp.managementMcpAudience ?? resources.managementMcp,
        },
        subjectClaim: config.externalIdp.subjectClaim,
        groupsClaim: config.externalIdp.groupsClaim,
        ...(config.externalIdp.nameClaim ? { nameClaim: config.externalIdp.nameClaim } : {}),
        allowHttp: true,
      }),
    );
    const console = externalConsoleSignIn({
      clientId: config.externalIdp.consoleClientId,
      scope: config.externalIdp.consoleScope,
      adminApiAudience,
      subjectClaim: config.externalIdp.subjectClaim,
      groupsClaim: config.externalIdp.groupsClaim,
      nameClaim: config.externalIdp.nameClaim,
    });
    if (!config.externalIdp.consumerSignIn) return { issuer, verifier, oauth: undefined, consumers: undefined, console, sweepExpired, close: async () => {} };
    // Consumers are not the IdP's admins: they sign in at the built-in server, which serves only the Gateway MCP.
    const consumerIssuer = `${resources.adminBase}/oauth`;
    const server = await startBuiltIn(config, plane, resources, true, virtual, log);
    const stop = sweepEvery(sweepExpired);
    const consumers = { server, issuer: consumerIssuer, verifier: cachingVerifier(createLocalVerifier({ issuer: consumerIssuer, jwks: () => server.jwks() })) };
    return { issuer, verifier, oauth: undefined, consumers, console, sweepExpired, close: async () => stop() };
  }
  const issuer = `${resources.adminBase}/oauth`;
  const oauth = await startBuiltIn(config, plane, resources, false, virtual, log, metrics);
  const stop = sweepEvery(sweepExpired);
  // Every request of a caller presents the same token: its signature is checked once, not per request (see cachingVerifier).
  const verifier = cachingVerifier(createLocalVerifier({ issuer, jwks: () => oauth.jwks() }));
  return {
    issuer,
    verifier,
    oauth,
    consumers: { server: oauth, issuer, verifier },
    console: builtInConsoleSignIn(resources.adminApi),
    sweepExpired,
    close: async () => stop(),
  };
}

// Anyone can start an authorization (and so create state); expired state must not pile up.
function sweepEvery(sweep: () => Promise<void>): () => void {
  const sweeper = setInterval(() => void sweep(), 10 * 60_000);
  sweeper.unref();
  return () => clearInterval(sweeper);
}

/**
 * The built-in authorization server (its keys now, oidc-provider on first use); `consumerOnly`: for
 * the Gateway MCP alone (the admin surfaces trust an external IdP).
 */
function startBuiltIn(
  config: GatehouseConfig,
  plane: ManagementPlane,
  resources: AdminResources,
  consumerOnly: boolean,
  virtual: Pick<VirtualAccess, 'mayUseServer'>,
  log: (msg: string, err: unknown) => void,
  metrics?: Registry,
): Promise<AuthorizationServer> {
  const db = plane.database.db;
  const issuer = `${resources.adminBase}/oauth`;
  return createAuthorizationServer({
    db,
    secrets: plane.secrets,
    issuer,
    ...(consumerOnly
      ? { resources: [resources.gatewayMcp], defaultResource: resources.gatewayMcp, consumerOnly: true }
      : {
          resources: [resources.adminApi, resources.managementMcp, resources.gatewayMcp],
          // Each virtual MCP server is its own protected resource (`/mcp/v/{slug}`).
          resourcePrefixes: [`${resources.gatewayMcp}/v/`],
          defaultResource: resources.adminApi,
          connectRedirectUri: `${resources.gatewayMcp}/connect/signed-in`,
          managementResource: resources.managementMcp,
          // An agent acts for a user only at the virtual servers that user may use.
          tokenExchange: { resourcePrefix: `${resources.gatewayMcp}/v/`, mayUse: (user, slug) => virtual.mayUseServer(user, slug) },
          // Enterprise IdPs' identity assertions (ID-JAG) for the Management MCP and the virtual servers.
          idJag: idJagOptions(plane, metrics, log),
        }),
    gatewayMcpResource: resources.gatewayMcp,
    // The consent is the person's own change: the executor checks it again and audits it (actor: the person; channel: mcp, the app named).
    recordSignIn: async (consent) => {
      const principal = { subject: consent.accountId, name: consent.username, kind: 'user' as const, groups: [], clientId: consent.appClientId };
      const clientApp = consent.appName && consent.appName !== consent.appClientId ? `${consent.appClientId} (${consent.appName})` : consent.appClientId;
      const input = { oidcGrantId: consent.oidcGrantId, profileId: consent.profileId, appClientId: consent.appClientId, appName: consent.appName };
      await plane.executor.execute('mcp-grants.sign-in', input, { principal, channel: 'mcp', clientApp, ip: consent.ip, requestId: consent.requestId });
    },
    allowPrivateCimdHosts: config.oauth.allowPrivateCimdHosts,
    dcrRateLimitPerMinute: config.oauth.dcrRateLimitPerMinute,
    accessTokenTtlSeconds: config.oauth.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: config.oauth.refreshTokenTtlSeconds,
    onLoadFailure: (err) => log('loading the authorization server failed', err),
  });
}
