import type {
  AuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
  FetchLike,
  OAuthClientInformationMixed,
  OAuthTokens,
  registerClient,
} from '@modelcontextprotocol/client';
import { GatehouseError, type McpServerOAuth } from '../../core/index.js';
import { loadClientSdk, loadedClientSdk } from './client-sdk.js';
import { GuardedFetchError } from './guarded-fetch.js';

/** An `oauth_per_user` upstream as its OAuth client needs it. */
export interface PerUserServer {
  id: string;
  name: string;
  url: string;
  oauth: McpServerOAuth;
  /** The pre-registered client's secret, opened; absent for a public client. */
  clientSecret?: string;
}

/** The upstream's authorization server as discovered, and the resource indicator its tokens are for. */
export interface Discovered {
  issuer: string;
  metadata: AuthorizationServerMetadata;
  /** The RFC 8707 resource indicator: the upstream's metadata `resource`, else its canonical URL. */
  resource: string;
  scope: string | undefined;
}

/** A client registration the gateway made at an upstream's authorization server (dynamic registration). */
export interface Registration {
  issuer: string;
  redirectUri: string;
  clientId: string;
  clientSecret?: string;
}

/** Where dynamic registrations are kept (sealed), so every node uses one client per upstream. */
export interface RegistrationStore {
  load(serverId: string): Promise<Registration | undefined>;
  save(serverId: string, registration: Registration): Promise<void>;
  /** Drops a registration the authorization server no longer knows, so the next connect registers again. */
  forget(serverId: string): Promise<void>;
}

/** What the gateway keeps of one user's upstream tokens. */
export interface UpstreamTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds; null when the upstream did not say. */
  expiresAt: number | null;
  /** When the access token was obtained, epoch milliseconds (so a short-lived one is refreshed halfway). */
  issuedAt: number;
  scope: string;
}

export interface UpstreamOAuthOptions {
  fetch: FetchLike;
  /** Where the upstream's authorization server sends the user back (`…/mcp/connect/callback`). */
  redirectUri: string;
  /** The gateway's Client ID Metadata Document URL (its client id where the upstream takes those). */
  clientMetadataUrl: string;
  registrations: RegistrationStore;
  /** How long a discovery is reused. */
  discoveryTtlMs?: number;
  now?: () => number;
}

function failed(server: PerUserServer, why: string): GatehouseError {
  return new GatehouseError('GATEHOUSE_MCP_CONNECT_FAILED', `Connecting to ${server.name}: ${why}.`);
}

/** A failure's message when it is safe to show (ours, the guard's, the SDK's OAuth errors); never an echo of what was sent. */
function reason(err: unknown): string {
  if (err instanceof GatehouseError) return err.message;
  if (err instanceof Error) return err.message.slice(0, 200);
  return 'unknown error';
}

/**
 * The gateway as an OAuth client of upstream MCP servers' authorization servers: RFC 9728 then
 * RFC 8414 / OIDC discovery, registration (pre-registered, RFC 7591, or Client ID Metadata
 * Document), authorization code with PKCE S256 and the RFC 8707 resource indicator, refresh.
 * Every request goes through the SSRF-guarded fetch it is given.
 */
export class UpstreamOAuth {
  readonly #discovered = new Map<string, { at: number; value: Promise<Discovered> }>();
  readonly #ttl: number;
  readonly #now: () => number;

  constructor(private readonly opts: UpstreamOAuthOptions) {
    this.#ttl = opts.discoveryTtlMs ?? 10 * 60_000;
    this.#now = opts.now ?? Date.now;
  }

  /** The same client keeping its registrations in another store. */
  withRegistrations(registrations: RegistrationStore): UpstreamOAuth {
    return new UpstreamOAuth({ ...this.opts, registrations });
  }

  /** The upstream's authorization server, from its 401 challenge or its well-known metadata; cached a while. */
  discover(server: PerUserServer): Promise<Discovered> {
    const key = `${server.id}:${server.url}`;
    const cached = this.#discovered.get(key);
    if (cached && this.#now() - cached.at < this.#ttl) return cached.value;
    const value = this.#discover(server);
    this.#discovered.set(key, { at: this.#now(), value });
    value.catch(() => this.#discovered.delete(key));
    return value;
  }

  async #discover(server: PerUserServer): Promise<Discovered> {
    const {
      extractWWWAuthenticateParams,
      discoverOAuthProtectedResourceMetadata,
      resourceUrlFromServerUrl,
      checkResourceAllowed,
      discoverAuthorizationServerMetadata,
    } = await loadClientSdk();
    const fetchFn = this.opts.fetch;
    let metadataUrl: URL | undefined;
    try {
      // The upstream's own 401 names its metadata document (RFC 9728 §5.1); a probe without a token asks for it.
      const probe = await fetchFn(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'ping' }),
      });
      if (probe.status === 401) metadataUrl = extractWWWAuthenticateParams(probe).resourceMetadataUrl;
    } catch (err) {
      throw failed(server, `the server could not be reached (${reason(err)})`);
    }
    let prm: Awaited<ReturnType<typeof discoverOAuthProtectedResourceMetadata>>;
    try {
      prm = await discoverOAuthProtectedResourceMetadata(server.url, metadataUrl ? { resourceMetadataUrl: metadataUrl } : {}, fetchFn);
    } catch (err) {
      throw failed(server, `its protected-resource metadata could not be read (${reason(err)})`);
    }
    const canonical = resourceUrlFromServerUrl(server.url);
    if (prm.resource && !checkResourceAllowed({ requestedResource: canonical, configuredResource: prm.resource })) {
      throw failed(server, `its metadata names another resource (${String(prm.resource).slice(0, 200)})`);
    }
    const issuer = prm.authorization_servers?.[0];
    if (!issuer) throw failed(server, 'its metadata names no authorization server');
    let metadata: AuthorizationServerMetadata | undefined;
    try {
      metadata = await discoverAuthorizationServerMetadata(issuer, { fetchFn });
    } catch (err) {
      throw failed(server, `the metadata of its authorization server could not be read (${reason(err)})`);
    }
    if (!metadata) throw failed(server, `its authorization server ${issuer} publishes no metadata`);
    if (!(metadata.code_challenge_methods_supported ?? []).includes('S256')) throw failed(server, 'its authorization server does not support PKCE S256');
    const scope = server.oauth.scope ?? prm.scopes_supported?.join(' ');
    return { issuer, metadata, resource: prm.resource ? String(prm.resource) : canonical.href, scope: scope || undefined };
  }

  /** The client the gateway already is at the upstream's authorization server; undefined when it registers dynamically and has not yet. */
  async #known(server: PerUserServer, discovered: Discovered): Promise<OAuthClientInformationMixed | undefined> {
    const { registration } = server.oauth;
    if (registration === 'preregistered') {
      return { client_id: server.oauth.clientId as string, ...(server.clientSecret ? { client_secret: server.clientSecret } : {}) };
    }
    if (registration === 'metadata_document') {
      if ((discovered.metadata as { client_id_metadata_document_supported?: unknown }).client_id_metadata_document_supported !== true) {
        throw failed(server, 'its authorization server does not accept Client ID Metadata Documents; use dynamic or preregistered registration');
      }
      return { client_id: this.opts.clientMetadataUrl };
    }
    const stored = await this.opts.registrations.load(server.id);
    if (stored && stored.issuer === discovered.issuer && stored.redirectUri === this.opts.redirectUri) {
      return { client_id: stored.clientId, ...(stored.clientSecret ? { client_secret: stored.clientSecret } : {}) };
    }
    return undefined;
  }

  /** The client the gateway is at the upstream's authorization server, registering it (once) when it registers dynamically. */
  async client(server: PerUserServer, discovered: Discovered): Promise<OAuthClientInformationMixed> {
    const { registerClient } = await loadClientSdk();
    const known = await this.#known(server, discovered);
    if (known) return known;
    if (!discovered.metadata.registration_endpoint)
      throw failed(server, 'its authorization server offers no dynamic client registration; use a preregistered client');
    let registered: Awaited<ReturnType<typeof registerClient>>;
    try {
      registered = await registerClient(discovered.issuer, {
        metadata: discovered.metadata,
        clientMetadata: {
          client_name: 'Gatehouse',
          redirect_uris: [this.opts.redirectUri],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
        ...(discovered.scope ? { scope: discovered.scope } : {}),
        fetchFn: this.opts.fetch,
      });
    } catch (err) {
      throw failed(server, `dynamic client registration failed (${reason(err)})`);
    }
    const saved: Registration = {
      issuer: discovered.issuer,
      redirectUri: this.opts.redirectUri,
      clientId: registered.client_id,
      ...(registered.client_secret ? { clientSecret: registered.client_secret } : {}),
    };
    await this.opts.registrations.save(server.id, saved);
    return { client_id: saved.clientId, ...(saved.clientSecret ? { client_secret: saved.clientSecret } : {}) };
  }

  /** The upstream authorization URL for one connect flow (PKCE S256, resource indicator, scope), and its verifier. */
  async authorizationUrl(server: PerUserServer, state: string): Promise<{ url: string; verifier: string }> {
    const discovered = await this.discover(server);
    const client = await this.client(server, discovered);
    const { startAuthorization } = await loadClientSdk();
    const { authorizationUrl, codeVerifier } = await startAuthorization(discovered.issuer, {
      metadata: discovered.metadata,
      clientInformation: client,
      redirectUrl: this.opts.redirectUri,
      state,
      resource: discovered.resource,
      ...(discovered.scope ? { scope: discovered.scope } : {}),
    });
    return { url: authorizationUrl.href, verifier: codeVerifier };
  }

  /** Redeems the code the user came back with. */
  async exchange(server: PerUserServer, code: string, verifier: string, iss: string | undefined): Promise<UpstreamTokens> {
    const { exchangeAuthorization } = await loadClientSdk();
    const discovered = await this.discover(server);
    const client = await this.client(server, discovered);
    try {
      const tokens = await exchangeAuthorization(discovered.issuer, {
        metadata: discovered.metadata,
        clientInformation: client,
        authorizationCode: code,
        ...(iss !== undefined ? { iss } : {}),
        codeVerifier: verifier,
        redirectUri: this.opts.redirectUri,
        resource: discovered.resource,
        fetchFn: this.opts.fetch,
      });
      return this.#kept(tokens, undefined, discovered.scope);
    } catch (err) {
      const code = oauthCode(err);
      if (code === 'invalid_client' && server.oauth.registration === 'dynamic') await this.opts.registrations.forget(server.id);
      throw failed(server, `the authorization code could not be redeemed (${code})`);
    }
  }

  /** New tokens for a refresh token; GATEHOUSE_MCP_CONNECT_REQUIRED when the upstream no longer honours it. */
  async refresh(server: PerUserServer, current: UpstreamTokens): Promise<UpstreamTokens> {
    if (!current.refreshToken) throw new GatehouseError('GATEHOUSE_MCP_CONNECT_REQUIRED', `Your connection to ${server.name} expired; connect again.`);
    const { refreshAuthorization } = await loadClientSdk();
    const discovered = await this.discover(server);
    const client = await this.client(server, discovered);
    try {
      const tokens = await refreshAuthorization(discovered.issuer, {
        metadata: discovered.metadata,
        clientInformation: client,
        refreshToken: current.refreshToken,
        resource: discovered.resource,
        fetchFn: this.opts.fetch,
      });
      return this.#kept(tokens, current.refreshToken, current.scope);
    } catch (err) {
      const code = oauthCode(err);
      if (code === 'invalid_grant')
        throw new GatehouseError('GATEHOUSE_MCP_CONNECT_REQUIRED', `${server.name} no longer accepts your connection; connect again.`);
      throw failed(server, `the token could not be refreshed (${code})`);
    }
  }

  /**
   * Revokes a person's tokens at the upstream's authorization server (RFC 7009), the refresh token
   * first (which ends the grant at most servers), authenticated as at its token endpoint. Nothing
   * to do when its metadata names no `revocation_endpoint`, or a dynamic client it no longer has.
   * Throws a GatehouseError naming what failed (never a token) after trying both.
   */
  async revoke(server: PerUserServer, tokens: UpstreamTokens): Promise<void> {
    const discovered = await this.discover(server);
    const endpoint = (discovered.metadata as { revocation_endpoint?: unknown }).revocation_endpoint;
    if (typeof endpoint !== 'string') return;
    const client = await this.#known(server, discovered);
    if (!client) return;
    const metadata = discovered.metadata as { revocation_endpoint_auth_methods_supported?: string[]; token_endpoint_auth_methods_supported?: string[] };
    const { selectClientAuthMethod } = await loadClientSdk();
    const method = selectClientAuthMethod(client, metadata.revocation_endpoint_auth_methods_supported ?? metadata.token_endpoint_auth_methods_supported ?? []);
    const failures: string[] = [];
    const kinds = [
      ['refresh_token', tokens.refreshToken],
      ['access_token', tokens.accessToken],
    ] as const;
    for (const [hint, token] of kinds) {
      if (!token) continue;
      const outcome = await this.#revokeOne(endpoint, method, client, hint, token);
      // A self-contained (JWT) access token cannot be revoked at many servers: its short life ends it.
      if (outcome !== 'ok' && !(hint === 'access_token' && outcome === 'unsupported_token_type')) failures.push(`the ${hint.replace('_', ' ')} (${outcome})`);
    }
    if (failures.length > 0) throw failed(server, `revoking ${failures.join(' and ')} at its authorization server failed`);
  }

  async #revokeOne(endpoint: string, method: string, client: OAuthClientInformationMixed, hint: string, token: string): Promise<string> {
    const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' });
    const body = new URLSearchParams({ token, token_type_hint: hint });
    if (method === 'client_secret_basic' && client.client_secret) {
      headers.set('authorization', `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`);
    } else {
      body.set('client_id', client.client_id);
      if (method === 'client_secret_post' && client.client_secret) body.set('client_secret', client.client_secret);
    }
    try {
      const res = await this.opts.fetch(endpoint, { method: 'POST', headers, body });
      if (res.ok) return 'ok';
      const error = ((await res.json().catch(() => ({}))) as { error?: unknown }).error;
      return typeof error === 'string' && /^[a-z_]{1,64}$/.test(error) ? error : `HTTP ${res.status}`;
    } catch (err) {
      return oauthCode(err);
    }
  }

  #kept(tokens: OAuthTokens, previousRefresh: string | undefined, scope: string | undefined): UpstreamTokens {
    if (tokens.token_type.toLowerCase() !== 'bearer') throw new Error(`a ${tokens.token_type} token, not a Bearer token`);
    const refreshToken = tokens.refresh_token ?? previousRefresh;
    return {
      accessToken: tokens.access_token,
      ...(refreshToken ? { refreshToken } : {}),
      expiresAt: tokens.expires_in !== undefined ? this.#now() + tokens.expires_in * 1_000 : null,
      issuedAt: this.#now(),
      scope: tokens.scope ?? scope ?? '',
    };
  }
}

/** The OAuth error code of a failed token request (safe to show), or a generic word; never the response's text. */
function oauthCode(err: unknown): string {
  const sdk = loadedClientSdk();
  if (sdk && err instanceof sdk.OAuthError && /^[a-z_]{1,64}$/.test(err.code)) return err.code;
  if (err instanceof GuardedFetchError) return err.message;
  return 'request failed';
}
