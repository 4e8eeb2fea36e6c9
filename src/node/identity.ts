import type { GatehouseConfig } from '../core/index.js';
import {
  type AuthorizationServer,
  builtInConsoleSignIn,
  type ConsoleSignIn,
  createAuthorizationServer,
  createExternalVerifier,
  createLocalVerifier,
  deleteExpiredPayloads,
  externalConsoleSignIn,
  type TokenVerifier,
} from '../identity/index.js';
import type { ManagementPlane } from './plane.js';

/** Who issues and verifies the admin surfaces' tokens on this node. */
export interface NodeIdentity {
  issuer: string;
  verifier: TokenVerifier;
  /** The built-in authorization server; absent with an external IdP. */
  oauth: AuthorizationServer | undefined;
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
): Promise<NodeIdentity> {
  const db = plane.database.db;
  const sweepExpired = async () => {
    await deleteExpiredPayloads(db).catch((err) => log('sweeping expired OAuth state failed', err));
  };
  if (config.externalIdp) {
    const issuer = config.externalIdp.issuer;
    const adminApiAudience = config.externalIdp.adminApiAudience ?? resources.adminApi;
    const verifier = await createExternalVerifier({
      issuer,
      audiences: {
        [resources.adminApi]: adminApiAudience,
        [resources.managementMcp]: config.externalIdp.managementMcpAudience ?? resources.managementMcp,
      },
      subjectClaim: config.externalIdp.subjectClaim,
      groupsClaim: config.externalIdp.groupsClaim,
      ...(config.externalIdp.nameClaim ? { nameClaim: config.externalIdp.nameClaim } : {}),
      allowHttp: true,
    });
    const console = externalConsoleSignIn({
      clientId: config.externalIdp.consoleClientId,
      scope: config.externalIdp.consoleScope,
      adminApiAudience,
      subjectClaim: config.externalIdp.subjectClaim,
      groupsClaim: config.externalIdp.groupsClaim,
      nameClaim: config.externalIdp.nameClaim,
    });
    return { issuer, verifier, oauth: undefined, console, sweepExpired, close: async () => {} };
  }
  const issuer = `${resources.adminBase}/oauth`;
  const oauth = await createAuthorizationServer({
    db,
    secrets: plane.secrets,
    issuer,
    resources: [resources.adminApi, resources.managementMcp, resources.gatewayMcp],
    // Each virtual MCP server is its own protected resource (`/mcp/v/{slug}`).
    resourcePrefixes: [`${resources.gatewayMcp}/v/`],
    defaultResource: resources.adminApi,
    connectRedirectUri: `${resources.gatewayMcp}/connect/signed-in`,
    managementResource: resources.managementMcp,
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
  });
  // Anyone can start an authorization (and so create state); expired state must not pile up.
  const sweeper = setInterval(() => void sweepExpired(), 10 * 60_000);
  sweeper.unref();
  return {
    issuer,
    verifier: createLocalVerifier({ issuer, jwks: () => oauth.jwks() }),
    oauth,
    console: builtInConsoleSignIn(resources.adminApi),
    sweepExpired,
    close: async () => clearInterval(sweeper),
  };
}
