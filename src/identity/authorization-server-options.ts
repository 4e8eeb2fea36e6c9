import type { Kysely } from 'kysely';
import type { DB } from '../store/schema.js';
import type { SecretBox } from '../store/secret-box.js';
import type { IdJagOptions } from './jwt-bearer-grant.js';
import type { RecordSignIn } from './mcp-sign-in.js';
import type { ExchangeSubject } from './token-exchange.js';

/** How the built-in authorization server is set up (checked at start; oidc-provider is built from it on first use). */
export interface AuthorizationServerOptions {
  db: Kysely<DB>;
  secrets: SecretBox;
  /** The public issuer URL, e.g. `http://127.0.0.1:8080/oauth`; its path is where the provider is mounted. */
  issuer: string;
  /** Resource indicators tokens may be issued for. */
  resources: string[];
  /**
   * Families of resource indicators tokens may also be issued for: a prefix plus one slug, e.g.
   * `…/mcp/v/` for the virtual MCP servers, which come and go without restarting the server.
   */
  resourcePrefixes?: string[];
  /** The resource a token is for when the client names none (the admin API). */
  defaultResource: string;
  /** The management MCP resource: tokens for it carry `gatehouse:management` when the client asks for it. */
  managementResource?: string;
  /** The Gateway MCP resource (`…/mcp`): a sign-in for it is as one consumer profile, chosen at consent. */
  gatewayMcpResource?: string;
  /** Records a person's Gateway MCP sign-in through the executor, so it is audited (required with gatewayMcpResource). */
  recordSignIn?: RecordSignIn;
  /** Let Client ID Metadata Documents live on private/loopback hosts and on http loopback URLs (tests only). */
  allowPrivateCimdHosts?: boolean;
  /** Dynamic client registrations allowed per client IP per minute (default 20). */
  dcrRateLimitPerMinute?: number;
  /** Where the connect link's sign-in returns (`<proxy URL>/mcp/connect/signed-in`); without it there is no connect client. */
  connectRedirectUri?: string;
  /** Access-token lifetime in seconds (default 15 minutes). */
  accessTokenTtlSeconds?: number;
  /** Refresh-token lifetime in seconds, counted from sign-in and kept through rotation (default 14 days). */
  refreshTokenTtlSeconds?: number;
  /**
   * Only Gateway MCP consumers sign in here (the admin surfaces trust an external IdP): no
   * first-party clients, no client-credentials or device grants.
   */
  consumerOnly?: boolean;
  /**
   * RFC 8693 token exchange for agents (service accounts with `actForUsers`): a user's access
   * token for a short-lived one at a virtual MCP server under `resourcePrefix`, if the user may use it.
   */
  tokenExchange?: { resourcePrefix: string; mayUse(user: ExchangeSubject, slug: string): Promise<boolean> };
  /**
   * MCP Enterprise-Managed Authorization: Identity Assertion JWT Authorization Grants (RFC 7523 JWT
   * bearer grant) from trusted enterprise IdPs, for the Management MCP and the virtual MCP servers.
   */
  idJag?: IdJagOptions;
  /** Told why loading oidc-provider failed (the request gets GATEHOUSE_NOT_READY; the next one tries again). */
  onLoadFailure?: (err: unknown) => void;
}
