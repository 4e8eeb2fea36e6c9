import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type Configuration, errors, interactionPolicy } from 'oidc-provider';
import { findUserById } from '../store/repositories/users.js';
import type { AuthorizationServerOptions } from './authorization-server-options.js';
import { MetadataDocumentClients } from './cimd-clients.js';
import { ClientAdapter } from './client-adapter.js';
import { firstPartyClients } from './clients.js';
import { deviceFlowFeature, recoverStaleDeviceResume, refuseDeviceAuthorizationMethod } from './device-flow.js';
import { federatedPerson } from './federated-accounts.js';
import { FEDERATED_CALLBACK, finishFederatedLogin } from './federated-login.js';
import { handleInteraction, interactionPath } from './interactions.js';
import { refusedVirtualServer, refusedVirtualServerForService } from './virtual-server-grant.js';
import { withDefaultScope } from './default-scope.js';
import { errorPage, PAGE_HEADERS } from './login-pages.js';
import { StoreAdapter } from './oidc-adapter.js';
import { WindowRateLimiter } from './rate-limit.js';
import { DEFAULT_DCR_RATE_LIMIT, registrationFeatures, registrationLimiter, registrationMetadataRules } from './registration.js';
import { createProviderContextRelease } from './provider-context.js';
import { GATEWAY_MCP_SCOPE, MANAGEMENT_SCOPE } from './scopes.js';
import type { ProviderKeys } from './signing-keys.js';
import { ID_JAG_GRANT_PROFILE, JWT_BEARER_GRANT, TOKEN_EXCHANGE_GRANT } from './grant-types.js';
import { idJagGroups, registerJwtBearerGrant } from './jwt-bearer-grant.js';
import { actorClaim, registerTokenExchange } from './token-exchange.js';

export const DEFAULT_ACCESS_TOKEN_TTL = 15 * 60;
export const DEFAULT_REFRESH_TOKEN_TTL = 14 * 24 * 60 * 60;
// Koa reads the client IP from this header when `proxy` is on; we never let a caller set it.
const IP_HEADER = 'x-gatehouse-oauth-peer';

/** A request the authorization server routed to the provider: its path, the provider's own path for it, and the query. */
export interface ProviderRoute {
  path: string;
  inner: string;
  query: string;
}

/** Serves one routed request with oidc-provider (or our login, consent and federation pages beside it). */
export type ProviderApp = (req: IncomingMessage, res: ServerResponse, route: ProviderRoute) => Promise<void>;

/**
 * Builds oidc-provider over our store with the keys loaded at start (options already checked by
 * createAuthorizationServer), and returns the handler for the requests routed to it.
 */
export async function startProviderApp(opts: AuthorizationServerOptions, keys: ProviderKeys): Promise<ProviderApp> {
  const issuerUrl = new URL(opts.issuer);
  const mountPath = issuerUrl.pathname.replace(/\/+$/, '');
  const publicBase = issuerUrl.origin + mountPath.replace(/\/oauth$/, '');
  const allowed = new Set(opts.resources);
  const inFamily = (resource: string) =>
    (opts.resourcePrefixes ?? []).some((p) => resource.startsWith(p) && /^[a-z0-9][a-z0-9-]{0,62}$/.test(resource.slice(p.length)));
  const { db, secrets } = opts;
  const resourceScopes = new Map<string, string>(opts.managementResource ? [[opts.managementResource, MANAGEMENT_SCOPE]] : []);
  if (opts.gatewayMcpResource) resourceScopes.set(opts.gatewayMcpResource, GATEWAY_MCP_SCOPE);
  const allowPrivateHosts = opts.allowPrivateCimdHosts === true;
  const documents = { clients: new MetadataDocumentClients({ allowPrivateHosts }), allowPrivateHosts };
  const secure = issuerUrl.protocol === 'https:';
  // Service accounts may redeem ID-JAGs only where the grant is registered below.
  const accounts = { jwtBearer: opts.idJag !== undefined && opts.consumerOnly !== true };
  const ACCESS_TOKEN_TTL = opts.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL;
  const REFRESH_TOKEN_TTL = opts.refreshTokenTtlSeconds ?? DEFAULT_REFRESH_TOKEN_TTL;

  const resourceServerInfo = (resource: string) => ({
    scope: resourceScopes.get(resource) ?? '',
    accessTokenFormat: 'jwt' as const,
    accessTokenTTL: ACCESS_TOKEN_TTL,
    jwt: { sign: { alg: 'ES256' as const } },
  });

  const configuration: Configuration = {
    adapter: (model: string) => (model === 'Client' ? new ClientAdapter(db, secrets, documents, accounts) : new StoreAdapter(db, model)),
    clients: opts.consumerOnly ? [] : firstPartyClients(publicBase, opts.connectRedirectUri),
    jwks: keys.signing,
    // Over https the names carry cookie prefixes, which browsers enforce: `__Host-` (Secure, Path=/, no
    // Domain) for the session; the interaction cookies are scoped to their interaction's path, which
    // `__Host-` forbids, so they get `__Secure-`. Over plain http no prefix is possible (both need Secure).
    cookies: {
      keys: keys.cookieKeys,
      ...(secure ? { names: { session: '__Host-gh_session', interaction: '__Secure-gh_interaction', resume: '__Secure-gh_resume' } } : {}),
    },
    findAccount: async (_ctx, sub) => {
      const person = federatedPerson(sub);
      if (person) {
        return { accountId: sub, username: person.username, claims: async () => ({ sub, preferred_username: person.username, name: person.username }) };
      }
      const user = await findUserById(db, sub);
      if (!user || user.disabled === 1) return undefined;
      return {
        accountId: user.id,
        username: user.username,
        claims: async () => ({ sub: user.id, preferred_username: user.username, name: user.username }),
      };
    },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    // Resource scopes are listed too: clients registering with `scope` (as MCP SDKs do) are validated against this list.
    scopes: ['openid', 'offline_access', 'profile', ...resourceScopes.values()],
    pkce: { required: () => true },
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    extraClientMetadata: registrationMetadataRules({ jwtBearer: accounts.jwtBearer }),
    // OAuth 2.1: authorization code only, no implicit or hybrid flows.
    responseTypes: ['code'],
    // Browsers may call the token and revocation endpoints only for public clients (the console, browser
    // MCP apps), from the origin of one of their own redirect URIs; confidential clients never from a page.
    clientBasedCORS: (_ctx, origin, client) =>
      origin !== 'null' && client.clientAuthMethod === 'none' && (client.redirectUris ?? []).some((uri) => URL.canParse(uri) && new URL(uri).origin === origin),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: opts.consumerOnly !== true },
      ...(opts.consumerOnly ? {} : deviceFlowFeature()),
      ...registrationFeatures(),
      // Off so that every access token is a JWT for a resource; nothing of ours reads userinfo.
      userinfo: { enabled: false },
      // A client revokes only its own tokens: a public client's attempt on another's is ignored (RFC 7009 §2.2), a confidential one is told.
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => {
          if (token.clientId === client.clientId) return true;
          if (client.clientAuthMethod === 'none') return false;
          throw new errors.InvalidRequest('client is not authorized to revoke the presented token');
        },
      },
      rpInitiatedLogout: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (ctx, _client, oneOf) => {
          // An MCP client that asks for the management scope but names no resource means the management MCP.
          const scope = ctx.oidc.params?.scope;
          const scopes = typeof scope === 'string' ? scope.split(' ') : [];
          if (!oneOf) {
            if (scopes.includes(MANAGEMENT_SCOPE) && opts.managementResource) return opts.managementResource;
            if (scopes.includes(GATEWAY_MCP_SCOPE) && opts.gatewayMcpResource) return opts.gatewayMcpResource;
            return opts.defaultResource;
          }
          return oneOf.includes(opts.defaultResource) ? opts.defaultResource : oneOf[0];
        },
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx, resource) => {
          if (!allowed.has(resource) && !inFamily(resource)) throw new errors.InvalidTarget('the resource is not served by this gateway');
          return resourceServerInfo(resource);
        },
      },
    },
    extraTokenClaims: async (ctx, token) => {
      const accountId = 'accountId' in token ? token.accountId : undefined;
      if (accountId) {
        const person = federatedPerson(accountId);
        if (person) {
          // A person of an external IdP is a consumer: their tokens are for the Gateway MCP and nothing else.
          const resource = 'resourceServer' in token ? token.resourceServer?.identifier() : undefined;
          if (!opts.gatewayMcpResource || resource !== opts.gatewayMcpResource) throw new errors.InvalidTarget('this sign-in is for the API catalog only');
          return { name: person.username, gh_kind: 'user', ...('grantId' in token && token.grantId ? { gh_grant: token.grantId } : {}) };
        }
        // Every token for a virtual MCP server (a refresh too) only while the server admits the person.
        const resource = 'resourceServer' in token ? token.resourceServer?.identifier() : undefined;
        // A token for an enterprise identity assertion carries the person's groups at their IdP.
        const groups = idJagGroups(token);
        if (resource && opts.tokenExchange) {
          const refused = await refusedVirtualServer(db, opts.tokenExchange, accountId, [resource], groups);
          if (refused !== null) throw new errors.InvalidTarget(`the user may not use the virtual MCP server ${refused}`);
        }
        const account = ctx.oidc.account as { username?: unknown } | undefined;
        const name = typeof account?.username === 'string' ? account.username : (await findUserById(db, accountId))?.username;
        // The grant names the Gateway MCP sign-in (and so the profile) a token acts for; nothing else reads it.
        return {
          name: name ?? accountId,
          gh_kind: 'user',
          ...(groups && groups.length > 0 ? { groups } : {}),
          ...('grantId' in token && token.grantId ? { gh_grant: token.grantId } : {}),
          ...actorClaim(ctx.oidc.params?.grant_type, ctx.oidc.client?.clientId),
        };
      }
      const name = ctx.oidc.client?.clientName ?? token.clientId;
      // A service account's token for a virtual MCP server only while the server admits it.
      const resource = 'resourceServer' in token ? token.resourceServer?.identifier() : undefined;
      if (resource && opts.tokenExchange && token.clientId) {
        const refused = await refusedVirtualServerForService(opts.tokenExchange, token.clientId, name ?? token.clientId, [resource]);
        if (refused !== null) throw new errors.InvalidTarget(`the service account may not use the virtual MCP server ${refused}`);
      }
      return { name, gh_kind: 'service' };
    },
    // Every client allowed the refresh grant gets a refresh token, without `offline_access` or
    // `prompt=consent`: an assistant (MCP client) keeps working past the access token's quarter hour.
    // Registered and metadata-document clients are allowed it by default (see registration).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Refresh tokens outlive the browser session that created them (the assistant runs long after);
    // their own lifetime bounds them instead.
    expiresWithSession: async () => false,
    // Every refresh rotates, and a rotated token used again revokes the whole grant (oidc-provider's reuse detection).
    rotateRefreshToken: true,
    interactions: { policy: consumerSessionPolicy(opts.gatewayMcpResource), url: async (_ctx, interaction) => interactionPath(mountPath, interaction.uid) },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL,
      ClientCredentials: ACCESS_TOKEN_TTL,
      AuthorizationCode: 60,
      DeviceCode: 10 * 60,
      IdToken: 60 * 60,
      Interaction: 30 * 60,
      Session: 24 * 60 * 60,
      Grant: REFRESH_TOKEN_TTL,
      // Rotation keeps the original expiry, so a stolen-and-rotated chain still ends.
      RefreshToken: (ctx) => ctx.oidc.entities.RotatedRefreshToken?.remainingTTL ?? REFRESH_TOKEN_TTL,
    },
    // Errors that cannot go back to the client (bad client_id or redirect_uri) are shown to the user.
    renderError: async (ctx, out) => {
      ctx.set(PAGE_HEADERS);
      ctx.body = errorPage(`${out.error}: ${out.error_description ?? 'the request was refused'}`);
    },
  };

  const provider = new Provider(opts.issuer, configuration);
  // Endpoint URLs come from the issuer, never from the caller's Host or X-Forwarded-* headers:
  // `handle` overwrites the forwarded headers with the issuer's scheme and host before Koa reads them.
  provider.proxy = true;
  provider.proxyIpHeader = IP_HEADER;
  if (opts.tokenExchange) {
    registerTokenExchange(provider, { db, issuer: opts.issuer, jwks: keys.publicJwks, resourceServer: resourceServerInfo, ...opts.tokenExchange });
  }
  if (opts.idJag && !opts.consumerOnly) {
    registerJwtBearerGrant(provider, {
      ...opts.idJag,
      db,
      issuer: opts.issuer,
      managementResource: opts.managementResource,
      gatewayMcp:
        opts.gatewayMcpResource && opts.recordSignIn
          ? { resource: opts.gatewayMcpResource, recordSignIn: opts.recordSignIn, grantTtl: REFRESH_TOKEN_TTL }
          : undefined,
      virtualServers: opts.tokenExchange,
      resourceServer: resourceServerInfo,
    });
  }
  // oidc-provider lists only OIDC scopes and has no switch for our own CIMD support; both are added here.
  const advertisedScopes = [...new Set(resourceScopes.values())];
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === 'discovery' && ctx.body && typeof ctx.body === 'object') {
      const body = ctx.body as Record<string, unknown>;
      const scopes = Array.isArray(body.scopes_supported) ? (body.scopes_supported as string[]) : [];
      body.scopes_supported = [...new Set([...scopes, ...advertisedScopes])];
      body.client_id_metadata_document_supported = true;
      // MCP Enterprise-Managed Authorization §6: clients look for the ID-JAG profile here.
      if (opts.idJag && !opts.consumerOnly) {
        const grants = Array.isArray(body.grant_types_supported) ? (body.grant_types_supported as string[]) : [];
        body.grant_types_supported = [...new Set([...grants, JWT_BEARER_GRANT])];
        body.authorization_grant_profiles_supported = [ID_JAG_GRANT_PROFILE];
      }
    }
    // RFC 6749 §5.2 names a grant the client may not use `unauthorized_client`; oidc-provider says invalid_request.
    if (ctx.oidc?.route === 'token' && ctx.oidc.params?.grant_type === TOKEN_EXCHANGE_GRANT && ctx.body && typeof ctx.body === 'object') {
      const body = ctx.body as Record<string, unknown>;
      if (body.error === 'invalid_request' && body.error_description === 'requested grant type is not allowed for this client') {
        body.error = 'unauthorized_client';
        body.error_description = 'this client is not allowed to exchange tokens (a service account needs actForUsers)';
      }
    }
  });
  provider.use(recoverStaleDeviceResume);
  const registrationAllowed = registrationLimiter(opts.dcrRateLimitPerMinute ?? DEFAULT_DCR_RATE_LIMIT);
  const callback = provider.callback();
  const providerContext = await createProviderContextRelease();
  const loginThrottle = { perIp: new WindowRateLimiter(30, 60_000), failuresPerUser: new WindowRateLimiter(10, 15 * 60_000) };
  const csrfKey = createHmac('sha256', keys.cookieKeys[0] ?? '')
    .update('gatehouse interaction csrf')
    .digest();
  const interactionPrefix = `${mountPath}/interaction/`;
  const federatedCallback = `${mountPath}${FEDERATED_CALLBACK}`;
  const federation = { provider, db, secrets, issuer: opts.issuer };

  return async (req, res, { path, inner, query }) => {
    if (path === federatedCallback) {
      await finishFederatedLogin(req, res, federation);
      return;
    }
    if (path.startsWith(interactionPrefix)) {
      const uid = path.slice(interactionPrefix.length);
      if (/^[\w-]+$/.test(uid)) {
        await handleInteraction(req, res, uid, {
          provider,
          db,
          mountPath,
          csrfKey,
          loginThrottle,
          ...(opts.gatewayMcpResource ? { gatewayMcpResource: opts.gatewayMcpResource } : {}),
          ...(opts.recordSignIn ? { recordSignIn: opts.recordSignIn } : {}),
          ...(opts.gatewayMcpResource ? { federation } : {}),
          ...(opts.tokenExchange ? { virtualServers: opts.tokenExchange } : {}),
        });
        return;
      }
    }
    if (req.method === 'POST' && inner === '/reg' && !registrationAllowed(req, res)) return;
    if (!opts.consumerOnly && refuseDeviceAuthorizationMethod(req, res, inner)) return;
    const sent = req.method === 'GET' && inner === '/auth' ? withDefaultScope(query, opts.defaultResource, resourceScopes) : query;
    await providerContext.around(() => runProvider(req, res, inner + sent, mountPath + inner + sent, issuerUrl, callback));
  };
}

/**
 * The default prompts, plus: a session of a person signed in at an external IdP (a consumer) asks
 * for a new login for anything but the Gateway MCP, so it never reaches an admin resource.
 */
function consumerSessionPolicy(gatewayMcpResource: string | undefined) {
  const policy = interactionPolicy.base();
  policy.get('login')?.checks.add(
    new interactionPolicy.Check('consumer_session', 'A consumer sign-in reaches the API catalog only', async (ctx) => {
      if (!federatedPerson(ctx.oidc.session?.accountId)) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      const resource = ctx.oidc.params?.resource;
      const resources = Array.isArray(resource) ? resource : typeof resource === 'string' ? [resource] : [];
      const scope = typeof ctx.oidc.params?.scope === 'string' ? ctx.oidc.params.scope.split(' ') : [];
      const forCatalog = resources.length > 0 ? resources.every((r) => r === gatewayMcpResource) : scope.includes(GATEWAY_MCP_SCOPE);
      return forCatalog ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT;
    }),
  );
  return policy;
}

type NodeCallback = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

// oidc-provider derives its mount path from `req.originalUrl` minus `req.url`, and its endpoint
// URLs from the request origin; both are set here and the caller's request is restored after.
async function runProvider(req: IncomingMessage, res: ServerResponse, url: string, originalUrl: string, issuer: URL, callback: NodeCallback): Promise<void> {
  const saved = {
    url: req.url,
    proto: req.headers['x-forwarded-proto'],
    host: req.headers['x-forwarded-host'],
    ip: req.headers[IP_HEADER],
  };
  const mounted = req as IncomingMessage & { originalUrl?: string };
  mounted.url = url;
  mounted.originalUrl = originalUrl;
  req.headers['x-forwarded-proto'] = issuer.protocol.slice(0, -1);
  req.headers['x-forwarded-host'] = issuer.host;
  req.headers[IP_HEADER] = req.socket.remoteAddress ?? '';
  try {
    await callback(req, res);
  } finally {
    req.url = saved.url;
    delete mounted.originalUrl;
    restoreHeader(req, 'x-forwarded-proto', saved.proto);
    restoreHeader(req, 'x-forwarded-host', saved.host);
    restoreHeader(req, IP_HEADER, saved.ip);
  }
}

function restoreHeader(req: IncomingMessage, name: string, value: string | string[] | undefined): void {
  if (value === undefined) delete req.headers[name];
  else req.headers[name] = value;
}
